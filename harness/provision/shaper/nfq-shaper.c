/*
 * nfq-shaper: the userspace stand-in for `tc netem` on kernels without the
 * netem qdisc. It takes the packets an iptables NFQUEUE rule hands it and
 * gives each its verdict later (delay with jitter), at once (reorder: a
 * share of packets overtakes the delayed ones), or with one bit flipped in
 * its last byte (corrupt: the receiver's checksum then throws it away, as
 * with netem). Loss and duplication stay in iptables (statistic, TEE).
 *
 *   nfq-shaper --queue N [--delay-ms D] [--jitter-ms J] [--reorder P]
 *              [--corrupt P] [--seed S] [--tag TEXT]
 *
 * Runs until SIGTERM or SIGINT, then lets every held packet go and exits 0.
 * `--tag` is ignored; it marks the process as a run's for `harness clean`.
 * The iptables rule should use --queue-bypass, so that packets pass
 * unshaped rather than vanish when no shaper listens.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/netfilter.h>
#include <libnetfilter_queue/libnetfilter_queue.h>

struct held {
  uint64_t due_us;
  uint32_t id;
  uint32_t len; /* 0: verdict without a new payload */
  unsigned char *payload;
};

static struct {
  struct held *items;
  size_t n, cap;
} heap;

static struct {
  double delay_ms, jitter_ms, reorder, corrupt;
} cfg;

static volatile sig_atomic_t stopping = 0;
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static void on_signal(int sig) {
  (void)sig;
  stopping = 1;
}

static uint64_t now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* splitmix64: small, seeded, good enough for fault injection. */
static double uniform01(void) {
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return (double)(z >> 11) / 9007199254740992.0;
}

static double normal01(void) {
  double u = uniform01(), v = uniform01();
  if (u < 1e-12) u = 1e-12;
  return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

static int earlier(size_t a, size_t b) { return heap.items[a].due_us < heap.items[b].due_us; }

static void swap_items(size_t a, size_t b) {
  struct held t = heap.items[a];
  heap.items[a] = heap.items[b];
  heap.items[b] = t;
}

static int heap_push(struct held h) {
  if (heap.n == heap.cap) {
    size_t cap = heap.cap ? heap.cap * 2 : 1024;
    struct held *items = realloc(heap.items, cap * sizeof *items);
    if (!items) return -1;
    heap.items = items;
    heap.cap = cap;
  }
  size_t i = heap.n++;
  heap.items[i] = h;
  while (i > 0 && earlier(i, (i - 1) / 2)) {
    swap_items(i, (i - 1) / 2);
    i = (i - 1) / 2;
  }
  return 0;
}

static struct held heap_pop(void) {
  struct held top = heap.items[0];
  heap.items[0] = heap.items[--heap.n];
  size_t i = 0;
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, m = i;
    if (l < heap.n && earlier(l, m)) m = l;
    if (r < heap.n && earlier(r, m)) m = r;
    if (m == i) break;
    swap_items(i, m);
    i = m;
  }
  return top;
}

static void release(struct nfq_q_handle *qh, struct held h) {
  nfq_set_verdict(qh, h.id, NF_ACCEPT, h.len, h.len ? h.payload : NULL);
  free(h.payload);
}

static int on_packet(struct nfq_q_handle *qh, struct nfgenmsg *msg, struct nfq_data *nfa, void *data) {
  (void)msg;
  (void)data;
  struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfa);
  if (!ph) return 0;
  struct held h = {0};
  h.id = ntohl(ph->packet_id);
  h.due_us = now_us();
  if (!(cfg.reorder > 0 && uniform01() < cfg.reorder)) {
    double ms = cfg.delay_ms + (cfg.jitter_ms > 0 ? cfg.jitter_ms * normal01() : 0);
    if (ms > 0) h.due_us += (uint64_t)(ms * 1000.0);
  }
  if (cfg.corrupt > 0 && uniform01() < cfg.corrupt) {
    unsigned char *p;
    int len = nfq_get_payload(nfa, &p);
    if (len > 0) {
      h.payload = malloc((size_t)len);
      if (h.payload) {
        memcpy(h.payload, p, (size_t)len);
        h.payload[len - 1] ^= (unsigned char)(1u << (unsigned)(uniform01() * 8));
        h.len = (uint32_t)len;
      }
    }
  }
  if (h.due_us <= now_us() && h.len == 0) return nfq_set_verdict(qh, h.id, NF_ACCEPT, 0, NULL);
  if (heap_push(h) != 0) return nfq_set_verdict(qh, h.id, NF_ACCEPT, 0, NULL);
  return 0;
}

static double number_arg(const char *name, const char *v, double lo, double hi) {
  char *end;
  double x = strtod(v, &end);
  if (*v == '\0' || *end != '\0' || !(x >= lo && x <= hi)) {
    fprintf(stderr, "nfq-shaper: bad %s %s (want %g..%g)\n", name, v, lo, hi);
    exit(2);
  }
  return x;
}

int main(int argc, char **argv) {
  int queue = -1;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!v) {
      fprintf(stderr, "nfq-shaper: %s needs a value\n", a);
      return 2;
    }
    if (!strcmp(a, "--queue")) queue = (int)number_arg(a, v, 0, 65535);
    else if (!strcmp(a, "--delay-ms")) cfg.delay_ms = number_arg(a, v, 0, 600000);
    else if (!strcmp(a, "--jitter-ms")) cfg.jitter_ms = number_arg(a, v, 0, 600000);
    else if (!strcmp(a, "--reorder")) cfg.reorder = number_arg(a, v, 0, 1);
    else if (!strcmp(a, "--corrupt")) cfg.corrupt = number_arg(a, v, 0, 1);
    else if (!strcmp(a, "--seed")) rng_state ^= (uint64_t)number_arg(a, v, 0, 9007199254740992.0);
    else if (!strcmp(a, "--tag")) (void)v;
    else {
      fprintf(stderr, "nfq-shaper: unknown option %s\n", a);
      return 2;
    }
    i++;
  }
  if (queue < 0) {
    fprintf(stderr, "nfq-shaper: --queue is required\n");
    return 2;
  }

  struct nfq_handle *h = nfq_open();
  if (!h) {
    perror("nfq-shaper: nfq_open");
    return 1;
  }
  struct nfq_q_handle *qh = nfq_create_queue(h, (uint16_t)queue, &on_packet, NULL);
  if (!qh) {
    fprintf(stderr, "nfq-shaper: cannot bind queue %d: %s\n", queue, strerror(errno));
    return 1;
  }
  if (nfq_set_mode(qh, NFQNL_COPY_PACKET, 0xffff) < 0) {
    perror("nfq-shaper: nfq_set_mode");
    return 1;
  }
  nfq_set_queue_maxlen(qh, 1 << 16);
  nfnl_rcvbufsiz(nfq_nfnlh(h), 16u << 20);

  struct sigaction sa = {0};
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);

  int fd = nfq_fd(h);
  static char buf[1 << 17];
  /* Ready: the provisioner waits for this line before it adds the NFQUEUE rule. */
  printf("ready\n");
  fflush(stdout);
  while (!stopping) {
    uint64_t t = now_us();
    while (heap.n > 0 && heap.items[0].due_us <= t) release(qh, heap_pop());
    int timeout_ms = -1;
    if (heap.n > 0) timeout_ms = (int)((heap.items[0].due_us - t + 999) / 1000);
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    int r = poll(&pfd, 1, timeout_ms);
    if (r < 0) {
      if (errno == EINTR) continue;
      perror("nfq-shaper: poll");
      break;
    }
    if (r == 0) continue;
    ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n < 0) {
      /* ENOBUFS: the kernel dropped queue messages; those packets are lost, as on an overloaded link. */
      if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR) continue;
      perror("nfq-shaper: recv");
      break;
    }
    nfq_handle_packet(h, buf, (int)n);
  }
  while (heap.n > 0) release(qh, heap_pop());
  nfq_destroy_queue(qh);
  nfq_close(h);
  return 0;
}
