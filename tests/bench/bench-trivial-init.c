/* bench-trivial-init.c: the trivial init of the bare-QEMU boot baseline: print a
 * marker with the guest boot time, power off. */
#include <stdio.h>
#include <sys/reboot.h>
#include <time.h>
#include <unistd.h>

int
main (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_BOOTTIME, &ts);
  printf ("TRIVIAL-INIT-UP %lld\n", (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
  fflush (stdout);
  sync ();
  reboot (RB_POWER_OFF);
  return 0;
}
