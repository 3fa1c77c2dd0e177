/* sl-guest-ram.c: guest RAM of a QEMU process, mapped read-only. */
#include "sl-guest-ram.h"
#include "sl-types.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define FOUR_GIB    G_GUINT64_CONSTANT (0x100000000)
#define Q35_SPLIT   G_GUINT64_CONSTANT (0xb0000000)
#define Q35_LOWMEM  G_GUINT64_CONSTANT (0x80000000)

struct _SlGuestRam {
  SlGuestMem *mem;
  guint       n;
  guint8     *maps[SL_GUEST_MEM_MAX_REGIONS];
  gsize       sizes[SL_GUEST_MEM_MAX_REGIONS];
  gsize       total;
};

gboolean
sl_guest_ram_layout (SlGuestMem *mem, const guint8 *const *chunks, const gsize *sizes, guint n)
{
  guint64 total = 0;
  for (guint i = 0; i < n; i++)
    total += sizes[i];
  guint64 low = total >= Q35_SPLIT ? Q35_LOWMEM : total;
  guint64 ram_off = 0;
  for (guint i = 0; i < n; i++)
    {
      guint64 off = 0;
      while (off < sizes[i])
        {
          guint64 at = ram_off + off;
          guint64 gpa, len;
          if (at < low)
            {
              gpa = at;
              len = MIN (sizes[i] - off, low - at);
            }
          else
            {
              gpa = FOUR_GIB + (at - low);
              len = sizes[i] - off;
            }
          if (!sl_guest_mem_add_region (mem, gpa, chunks[i] + off, len))
            return FALSE;
          off += len;
        }
      ram_off += sizes[i];
    }
  return TRUE;
}

static gint
compare_int (gconstpointer a, gconstpointer b)
{
  return *(const int *) a - *(const int *) b;
}

SlGuestRam *
sl_guest_ram_map_qemu (GPid pid, GError **error)
{
  g_autofree char *dir = g_strdup_printf ("/proc/%d/fd", (int) pid);
  g_autoptr(GDir) d = g_dir_open (dir, 0, error);
  if (d == NULL)
    return NULL;
  g_autoptr(GArray) fds = g_array_new (FALSE, FALSE, sizeof (int));
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *target = g_file_read_link (path, NULL);
      if (target != NULL && g_str_has_prefix (target, "/memfd:memory-backend-memfd"))
        {
          int fd = atoi (name);
          g_array_append_val (fds, fd);
        }
    }
  if (fds->len == 0 || fds->len > SL_GUEST_MEM_MAX_REGIONS / 2)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_NOT_FOUND,
                   "QEMU (pid %d) has %u guest RAM memfds (memory-backend-memfd,share=on expected)", (int) pid, fds->len);
      return NULL;
    }
  g_array_sort (fds, compare_int);
  g_autoptr(SlGuestRam) ram = g_new0 (SlGuestRam, 1);
  ram->mem = sl_guest_mem_new ();
  for (guint i = 0; i < fds->len; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/%d", dir, g_array_index (fds, int, i));
      int fd = open (path, O_RDONLY | O_CLOEXEC);
      struct stat st;
      if (fd < 0 || fstat (fd, &st) != 0 || st.st_size <= 0)
        {
          int e = errno;
          if (fd >= 0)
            close (fd);
          g_set_error (error, SL_ERROR, SL_ERROR_IO, "%s: %s", path, g_strerror (e));
          return NULL;
        }
      void *p = mmap (NULL, (size_t) st.st_size, PROT_READ, MAP_SHARED, fd, 0);
      int e = errno;
      close (fd);
      if (p == MAP_FAILED)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_IO, "mapping %s: %s", path, g_strerror (e));
          return NULL;
        }
      ram->maps[ram->n] = p;
      ram->sizes[ram->n] = (gsize) st.st_size;
      ram->total += (gsize) st.st_size;
      ram->n++;
    }
  if (!sl_guest_ram_layout (ram->mem, (const guint8 *const *) ram->maps, ram->sizes, ram->n))
    {
      g_set_error_literal (error, SL_ERROR, SL_ERROR_FAILED, "guest RAM layout has too many regions");
      return NULL;
    }
  return g_steal_pointer (&ram);
}

const SlGuestMem *
sl_guest_ram_get_mem (const SlGuestRam *ram)
{
  return ram->mem;
}

gsize
sl_guest_ram_size (const SlGuestRam *ram)
{
  return ram->total;
}

void
sl_guest_ram_free (SlGuestRam *ram)
{
  if (ram == NULL)
    return;
  for (guint i = 0; i < ram->n; i++)
    munmap (ram->maps[i], ram->sizes[i]);
  sl_guest_mem_free (ram->mem);
  g_free (ram);
}
