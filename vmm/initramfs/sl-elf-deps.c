/* sl-elf-deps.c: DT_NEEDED walk with libelf. */
#include "sl-elf-deps.h"
#include "sl-types.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <string.h>
#include <unistd.h>

#define SL_ELF_MAX_LIBS 256

typedef struct {
  char      *interp;
  GPtrArray *needed;   /* char* */
  GPtrArray *rpath;    /* char*: DT_RUNPATH or DT_RPATH entries, $ORIGIN expanded */
} ElfInfo;

static void
elf_info_clear (ElfInfo *info)
{
  g_free (info->interp);
  g_clear_pointer (&info->needed, g_ptr_array_unref);
  g_clear_pointer (&info->rpath, g_ptr_array_unref);
}

static void
add_path_list (GPtrArray *out, const char *list, const char *origin)
{
  g_auto(GStrv) parts = g_strsplit (list, ":", 64);
  for (char **p = parts; *p; p++)
    {
      if (**p == '\0')
        continue;
      g_autofree char *tmp = NULL;
      const char *o = strstr (*p, "$ORIGIN");
      if (o != NULL)
        {
          g_autofree char *head = g_strndup (*p, o - *p);
          tmp = g_strconcat (head, origin, o + strlen ("$ORIGIN"), NULL);
        }
      g_ptr_array_add (out, g_strdup (tmp ? tmp : *p));
    }
}

static gboolean
read_elf_info (const char *path, ElfInfo *info, GError **error)
{
  memset (info, 0, sizeof *info);
  info->needed = g_ptr_array_new_with_free_func (g_free);
  info->rpath = g_ptr_array_new_with_free_func (g_free);
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_IO, "cannot open '%s': %s", path, g_strerror (errno));
      return FALSE;
    }
  g_autofree char *dir = g_path_get_dirname (path);
  elf_version (EV_CURRENT);
  Elf *elf = elf_begin (fd, ELF_C_READ, NULL);
  gboolean ok = FALSE;
  if (elf == NULL || elf_kind (elf) != ELF_K_ELF)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED, "'%s' is not an ELF file", path);
      goto out;
    }
  size_t nphdr = 0;
  if (elf_getphdrnum (elf, &nphdr) != 0)
    nphdr = 0;
  for (size_t i = 0; i < nphdr && i < 4096; i++)
    {
      GElf_Phdr ph;
      if (gelf_getphdr (elf, (int) i, &ph) == NULL || ph.p_type != PT_INTERP)
        continue;
      size_t fsize = 0;
      const char *raw = elf_rawfile (elf, &fsize);
      if (raw != NULL && ph.p_offset < fsize && ph.p_filesz <= fsize - ph.p_offset && ph.p_filesz > 1)
        info->interp = g_strndup (raw + ph.p_offset, ph.p_filesz);
    }
  Elf_Scn *scn = NULL;
  while ((scn = elf_nextscn (elf, scn)) != NULL)
    {
      GElf_Shdr sh;
      if (gelf_getshdr (scn, &sh) == NULL || sh.sh_type != SHT_DYNAMIC)
        continue;
      Elf_Data *data = elf_getdata (scn, NULL);
      if (data == NULL || sh.sh_entsize == 0)
        continue;
      size_t n = sh.sh_size / sh.sh_entsize;
      for (size_t j = 0; j < n && j < 65536; j++)
        {
          GElf_Dyn dyn;
          if (gelf_getdyn (data, (int) j, &dyn) == NULL)
            break;
          const char *s = NULL;
          if (dyn.d_tag == DT_NEEDED || dyn.d_tag == DT_RUNPATH || dyn.d_tag == DT_RPATH)
            s = elf_strptr (elf, sh.sh_link, dyn.d_un.d_val);
          if (s == NULL)
            continue;
          if (dyn.d_tag == DT_NEEDED)
            g_ptr_array_add (info->needed, g_strdup (s));
          else
            add_path_list (info->rpath, s, dir);
        }
    }
  ok = TRUE;
out:
  if (elf != NULL)
    elf_end (elf);
  close (fd);
  return ok;
}

/* ld.so.conf and its include directory, one level of includes (Debian's layout). */
static void
add_ld_so_conf (GPtrArray *dirs, const char *file, int depth)
{
  g_autofree char *text = NULL;
  if (depth > 2 || !g_file_get_contents (file, &text, NULL, NULL))
    return;
  g_auto(GStrv) lines = g_strsplit (text, "\n", 4096);
  for (char **l = lines; *l; l++)
    {
      char *line = g_strstrip (*l);
      if (*line == '\0' || *line == '#')
        continue;
      if (g_str_has_prefix (line, "include "))
        {
          g_autofree char *pattern = g_strdup (g_strstrip (line + 8));
          g_autofree char *pdir = g_path_get_dirname (pattern);
          g_autoptr(GDir) d = g_dir_open (pdir, 0, NULL);
          if (d == NULL)
            continue;
          g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
          const char *n;
          while ((n = g_dir_read_name (d)) != NULL)
            if (g_str_has_suffix (n, ".conf"))
              g_ptr_array_add (names, g_build_filename (pdir, n, NULL));
          g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
          for (guint i = 0; i < names->len; i++)
            add_ld_so_conf (dirs, names->pdata[i], depth + 1);
        }
      else if (line[0] == '/')
        g_ptr_array_add (dirs, g_strdup (line));
    }
}

static char *
resolve_lib (const char *name, GPtrArray *rpath, GPtrArray *sysdirs)
{
  if (strchr (name, '/') != NULL)
    return g_file_test (name, G_FILE_TEST_EXISTS) ? g_canonicalize_filename (name, NULL) : NULL;
  GPtrArray *lists[] = { rpath, sysdirs };
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; i < lists[l]->len; i++)
      {
        g_autofree char *p = g_build_filename (lists[l]->pdata[i], name, NULL);
        if (g_file_test (p, G_FILE_TEST_IS_REGULAR))
          return g_steal_pointer (&p);
      }
  return NULL;
}

GPtrArray *
sl_elf_needed_libraries (const char *binary, GError **error)
{
  g_return_val_if_fail (binary != NULL, NULL);
  g_autoptr(GPtrArray) sysdirs = g_ptr_array_new_with_free_func (g_free);
  add_ld_so_conf (sysdirs, "/etc/ld.so.conf", 0);
  const char *defaults[] = { "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib" };
  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    g_ptr_array_add (sysdirs, g_strdup (defaults[i]));

  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) queue = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (queue, g_strdup (binary));
  for (guint qi = 0; qi < queue->len; qi++)
    {
      const char *path = queue->pdata[qi];
      ElfInfo info;
      if (!read_elf_info (path, &info, error))
        {
          elf_info_clear (&info);
          return NULL;
        }
      if (info.interp != NULL)
        {
          if (!g_hash_table_contains (seen, info.interp))
            {
              g_hash_table_add (seen, g_strdup (info.interp));
              g_ptr_array_add (result, g_strdup (info.interp));
            }
        }
      for (guint i = 0; i < info.needed->len; i++)
        {
          const char *name = info.needed->pdata[i];
          char *lib = resolve_lib (name, info.rpath, sysdirs);
          if (lib == NULL)
            {
              g_set_error (error, SL_ERROR, SL_ERROR_NOT_FOUND,
                           "'%s' needs '%s', which was not found in its run path or the linker's directories",
                           path, name);
              elf_info_clear (&info);
              return NULL;
            }
          if (g_hash_table_contains (seen, lib))
            {
              g_free (lib);
              continue;
            }
          if (result->len >= SL_ELF_MAX_LIBS)
            {
              g_set_error (error, SL_ERROR, SL_ERROR_TOO_LARGE, "'%s' needs more than %d libraries", binary, SL_ELF_MAX_LIBS);
              g_free (lib);
              elf_info_clear (&info);
              return NULL;
            }
          g_hash_table_add (seen, g_strdup (lib));
          g_ptr_array_add (result, g_strdup (lib));
          g_ptr_array_add (queue, lib);
        }
      elf_info_clear (&info);
    }
  return g_steal_pointer (&result);
}
