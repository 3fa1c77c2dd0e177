/* sl-initramfs.c: assembling the guest's initramfs. */
#include "sl-initramfs.h"
#include "sl-cpio.h"
#include "sl-elf-deps.h"

#include <gio/gio.h>
#include <string.h>

/* Adds every parent directory of `path` that is not in the archive yet. */
static gboolean
add_parents (SlCpioWriter *w, const char *path, GError **error)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", 64);
  g_autoptr(GString) prefix = g_string_new (NULL);
  for (guint i = 0; parts[i] != NULL && parts[i + 1] != NULL; i++)
    {
      if (*parts[i] == '\0')
        continue;
      if (prefix->len > 0)
        g_string_append_c (prefix, '/');
      g_string_append (prefix, parts[i]);
      if (!sl_cpio_writer_has (w, prefix->str) && !sl_cpio_writer_add_dir (w, prefix->str, 0755, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
add_host_file (SlCpioWriter *w, const char *guest_path, guint mode, const char *host_path, GError **error)
{
  const char *rel = guest_path;
  while (*rel == '/')
    rel++;
  if (sl_cpio_writer_has (w, rel))
    return TRUE;
  return add_parents (w, rel, error) && sl_cpio_writer_add_file_from_path (w, rel, mode, host_path, error);
}

gboolean
sl_initramfs_build (const SlInitramfsSpec *spec, const char *out_path, GError **error)
{
  g_return_val_if_fail (spec != NULL && spec->agent_path != NULL && out_path != NULL, FALSE);
  g_autoptr(GFile) file = g_file_new_for_path (out_path);
  g_autoptr(GFileOutputStream) fos = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, error);
  if (fos == NULL)
    return FALSE;
  g_autoptr(GOutputStream) out = g_buffered_output_stream_new_sized (G_OUTPUT_STREAM (fos), 1 << 20);
  g_autoptr(SlCpioWriter) w = sl_cpio_writer_new (out);

  const char *dirs[] = { "dev", "proc", "sys", "tmp", "run", "var", "var/run", "etc", "etc/schedlab", "usr", "usr/bin" };
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    if (!sl_cpio_writer_add_dir (w, dirs[i], 0755, error))
      return FALSE;
  /* The kernel opens /dev/console before init runs; without the node the agent
   * starts with no stdin/stdout until it mounts devtmpfs. */
  if (!sl_cpio_writer_add_chardev (w, "dev/console", 0600, 5, 1, error))
    return FALSE;
  if (!sl_cpio_writer_add_file_from_path (w, "init", 0755, spec->agent_path, error))
    return FALSE;
  if (spec->scenario_text != NULL
      && !sl_cpio_writer_add_file (w, SL_GUEST_SCENARIO_PATH, 0644, spec->scenario_text,
                                   strlen (spec->scenario_text), error))
    return FALSE;
  if (spec->scheduler_path != NULL)
    {
      if (!sl_cpio_writer_add_file_from_path (w, SL_GUEST_SCHEDULER_PATH, 0755, spec->scheduler_path, error))
        return FALSE;
      if (spec->scheduler_args != NULL && spec->scheduler_args[0] != NULL)
        {
          g_autoptr(GString) args = g_string_new (NULL);
          for (guint i = 0; spec->scheduler_args[i] != NULL; i++)
            {
              if (strchr (spec->scheduler_args[i], '\n') != NULL)
                {
                  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "scheduler argument %u contains a newline", i + 1);
                  return FALSE;
                }
              g_string_append_printf (args, "%s\n", spec->scheduler_args[i]);
            }
          if (!sl_cpio_writer_add_file (w, SL_GUEST_SCHEDULER_ARGS_PATH, 0644, args->str, args->len, error))
            return FALSE;
        }
      if (spec->stats_socket != NULL)
        {
          g_autofree char *line = g_strdup_printf ("%s\n", spec->stats_socket);

          if (spec->stats_socket[0] != '/' || strchr (spec->stats_socket, '\n') != NULL)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "the stats socket must be an absolute path on one line, not '%s'", spec->stats_socket);
              return FALSE;
            }
          if (!sl_cpio_writer_add_file (w, SL_GUEST_STATS_SOCKET_PATH, 0644, line, strlen (line), error))
            return FALSE;
        }
      g_autoptr(GPtrArray) libs = sl_elf_needed_libraries (spec->scheduler_path, error);
      if (libs == NULL)
        return FALSE;
      for (guint i = 0; i < libs->len; i++)
        {
          /* Keep the path the binary was linked against (the interpreter path
           * is absolute in the ELF), but copy the resolved file's contents. */
          if (!add_host_file (w, libs->pdata[i], 0755, libs->pdata[i], error))
            return FALSE;
        }
    }
  if (!sl_cpio_writer_finish (w, error))
    return FALSE;
  return g_output_stream_close (out, NULL, error);
}
