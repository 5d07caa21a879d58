/*
 * clock-shim: moves the clocks of one process, for the harness's clock
 * faults. Preloaded (LD_PRELOAD) like libfaketime, and reading the same
 * timestamp file, but small enough to be safe in any program, including
 * those linked with jemalloc (redis-server, redis-sentinel), which call
 * clock_gettime while malloc is being set up: libfaketime calls dlsym
 * there, which allocates, which recurses.
 *
 * Environment (the names libfaketime uses, so either library reads it):
 *   FAKETIME_TIMESTAMP_FILE       the file; without it, real time (also
 *                                 when its path is 4096 bytes or longer)
 *   FAKETIME_DONT_FAKE_MONOTONIC  1: leave the monotonic clocks real
 *
 * The file holds one line, the subset of libfaketime's format the
 * harness writes (harness/provision/clock-shim.ts, timestampSpec):
 *
 *   +S[.fff] [xR]   or   -S[.fff] [xR]      e.g. "+1.500 x1", "-10.000 x2"
 *
 * an offset of S seconds (up to 9 decimals) and a rate R (a decimal
 * number > 0; 1 when absent), both counted from the process's start,
 * as libfaketime counts them:
 *
 *   fake = start + (now - start) * R + offset
 *
 * Nothing else of libfaketime's format is understood (absolute dates,
 * '@', 'i', units such as "5m", exponents): a line that does not parse,
 * or a file that cannot be read, leaves the clock as the last line
 * understood (real time before any).
 *
 * Faked: clock_gettime of CLOCK_REALTIME and CLOCK_REALTIME_COARSE,
 * gettimeofday, time; and, unless FAKETIME_DONT_FAKE_MONOTONIC=1,
 * clock_gettime of CLOCK_MONOTONIC, _COARSE, _RAW and CLOCK_BOOTTIME.
 * Every other clock is passed through. Calls libc makes to itself
 * (timespec_get, timed waits) are not seen.
 *
 * How it stays safe:
 * - no allocation, no dlsym, no stdio: the real clocks are raw
 *   clock_gettime syscalls (never the vDSO), the file is read with raw
 *   openat/read/close into a buffer on the stack;
 * - the file is re-read at most once per REFRESH_NS of the real
 *   monotonic clock, by one thread at a time (the others use the values
 *   it last published), so a rewrite takes effect within REFRESH_NS;
 * - setting up is reading two environment variables and two clocks:
 *   it may run more than once (first call, or the constructor, whichever
 *   comes first; or two threads at once) with the same outcome, and it
 *   never reads a clock through anything that could come back here;
 * - errno is left as the caller had it, unless the call itself fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* The provisioner waits as long after each rewrite (CLOCK_SHIM_REFRESH_MS in clock-shim.ts). */
#define REFRESH_NS 2000000LL
#define NS_PER_S 1000000000LL

enum family { PASS, REAL, MONO };

/* A copy: programs that set their process title (redis-server) overwrite the environment in place. */
static char timestamp_file[4096]; /* empty: real time */
static int fake_monotonic;
static int64_t start_real, start_mono; /* the real clocks at the process's start */
static int set_up;

/*
 * The last line understood, published under a sequence count: odd while
 * the one thread that re-reads the file stores a new offset and rate.
 */
static unsigned seq;
static int64_t offset_ns;
static double rate = 1;
static int64_t read_at_mono = -REFRESH_NS; /* the first call reads the file */
static int reading;

static int64_t to_ns(struct timespec ts) { return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec; }

static struct timespec from_ns(int64_t ns) {
  struct timespec ts = {ns / NS_PER_S, ns % NS_PER_S};
  if (ts.tv_nsec < 0) {
    ts.tv_sec -= 1;
    ts.tv_nsec += NS_PER_S;
  }
  return ts;
}

/* A real clock, in ns; 0 when the kernel refuses it. */
static int64_t real_ns(clockid_t clock) {
  struct timespec ts;
  return syscall(SYS_clock_gettime, clock, &ts) == 0 ? to_ns(ts) : 0;
}

static void set_up_once(void) {
  if (__atomic_load_n(&set_up, __ATOMIC_ACQUIRE)) return;
  const char *dont = getenv("FAKETIME_DONT_FAKE_MONOTONIC");
  const char *file = getenv("FAKETIME_TIMESTAMP_FILE");
  size_t n = 0;
  while (file && file[n] && n < sizeof timestamp_file - 1) n++;
  if (file && file[n] == '\0') { /* a longer path than the buffer leaves the clocks real */
    for (size_t i = 0; i < n; i++) timestamp_file[i] = file[i];
    timestamp_file[n] = '\0';
  }
  fake_monotonic = !(dont && dont[0] == '1');
  start_real = real_ns(CLOCK_REALTIME);
  start_mono = real_ns(CLOCK_MONOTONIC);
  __atomic_store_n(&set_up, 1, __ATOMIC_RELEASE);
}

__attribute__((constructor)) static void at_load(void) { set_up_once(); }

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Parse "[+-]S[.fff] [xR]" (surrounding blanks and a newline allowed); 1 when understood. */
static int parse(const char *s, int64_t *offset, double *r) {
  while (*s == ' ' || *s == '\t') s++;
  if (*s != '+' && *s != '-') return 0;
  int negative = *s++ == '-';
  if (!is_digit(*s)) return 0;
  int64_t seconds = 0;
  while (is_digit(*s)) {
    seconds = seconds * 10 + (*s++ - '0');
    if (seconds > 1000000000LL) return 0; /* 31 years: no fault of ours */
  }
  int64_t fraction = 0;
  if (*s == '.') {
    s++;
    for (int64_t unit = NS_PER_S / 10; is_digit(*s); s++, unit /= 10) fraction += (*s - '0') * unit;
  }
  double x = 1;
  while (*s == ' ' || *s == '\t') s++;
  if (*s == 'x') {
    s++;
    if (!is_digit(*s)) return 0;
    x = 0;
    while (is_digit(*s)) x = x * 10 + (*s++ - '0');
    if (*s == '.') {
      s++;
      for (double unit = 0.1; is_digit(*s); s++, unit /= 10) x += (*s - '0') * unit;
    }
    if (!(x > 0)) return 0;
  }
  while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') s++;
  if (*s != '\0') return 0;
  *offset = (negative ? -1 : 1) * (seconds * NS_PER_S + fraction);
  *r = x;
  return 1;
}

/* Read the timestamp file; 1 with its offset and rate when it says something understood. */
static int read_file(int64_t *offset, double *r) {
  char buf[128];
  int saved = errno;
  int ok = 0;
  long fd = syscall(SYS_openat, AT_FDCWD, timestamp_file, O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    long n = syscall(SYS_read, fd, buf, sizeof buf - 1);
    syscall(SYS_close, fd);
    if (n > 0) {
      buf[n] = '\0';
      ok = parse(buf, offset, r);
    }
  }
  errno = saved;
  return ok;
}

/* Re-read the file when REFRESH_NS passed since the last read and no other thread is at it. */
static void refresh(void) {
  int64_t now = real_ns(CLOCK_MONOTONIC);
  int64_t last = __atomic_load_n(&read_at_mono, __ATOMIC_RELAXED);
  if (now - last < REFRESH_NS && now >= last) return;
  if (__atomic_exchange_n(&reading, 1, __ATOMIC_ACQUIRE)) return;
  int64_t o;
  double r;
  if (read_file(&o, &r)) {
    unsigned s = __atomic_load_n(&seq, __ATOMIC_RELAXED);
    __atomic_store_n(&seq, s + 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    __atomic_store_n(&offset_ns, o, __ATOMIC_RELAXED);
    __atomic_store(&rate, &r, __ATOMIC_RELAXED);
    __atomic_store_n(&seq, s + 2, __ATOMIC_RELEASE);
  }
  __atomic_store_n(&read_at_mono, now, __ATOMIC_RELAXED);
  __atomic_store_n(&reading, 0, __ATOMIC_RELEASE);
}

/*
 * The offset and rate now. A reader that keeps finding them half
 * replaced is a signal handler that interrupted the very thread
 * replacing them: it reads the file itself.
 */
static void current(int64_t *o, double *r) {
  for (int tries = 0; tries < 1000; tries++) {
    unsigned before = __atomic_load_n(&seq, __ATOMIC_ACQUIRE);
    if (before & 1) continue;
    *o = __atomic_load_n(&offset_ns, __ATOMIC_RELAXED);
    __atomic_load(&rate, r, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    if (__atomic_load_n(&seq, __ATOMIC_RELAXED) == before) return;
  }
  if (!read_file(o, r)) {
    *o = 0;
    *r = 1;
  }
}

static enum family family_of(clockid_t clock) {
  switch (clock) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
      return REAL;
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_BOOTTIME:
      return fake_monotonic ? MONO : PASS;
    default:
      return PASS;
  }
}

/* What the process sees of a real reading `now` of a clock of family `f`. */
static int64_t fake(enum family f, int64_t now) {
  if (f == PASS || timestamp_file[0] == '\0') return now;
  refresh();
  int64_t o;
  double r;
  current(&o, &r);
  int64_t start = f == REAL ? start_real : start_mono;
  int64_t elapsed = now - start;
  if (r != 1) elapsed = (int64_t)((double)elapsed * r);
  return start + elapsed + o;
}

int clock_gettime(clockid_t clock, struct timespec *tp) {
  set_up_once();
  struct timespec real;
  long rc = syscall(SYS_clock_gettime, clock, &real);
  if (rc != 0) return (int)rc;
  *tp = from_ns(fake(family_of(clock), to_ns(real)));
  return 0;
}

/* glibc declares tv nonnull; the kernel's call accepts NULL, so this does too. */
#pragma GCC diagnostic ignored "-Wnonnull-compare"
int gettimeofday(struct timeval *restrict tv, void *restrict tz) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  if (tv) {
    tv->tv_sec = ts.tv_sec;
    tv->tv_usec = ts.tv_nsec / 1000;
  }
  if (tz) {
    struct timezone *z = tz;
    z->tz_minuteswest = 0;
    z->tz_dsttime = 0;
  }
  return 0;
}

time_t time(time_t *t) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  if (t) *t = ts.tv_sec;
  return ts.tv_sec;
}
