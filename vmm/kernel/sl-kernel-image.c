/* sl-kernel-image.c: bzImage payload, ELF checks (libelf), build id, banner, IKCONFIG. */
#include "sl-kernel-image.h"
#include "sl-types.h"

#include <string.h>
#include <gelf.h>
#include <libelf.h>

/* A vmlinux is ~60 MB; anything past this is not a kernel we can use. */
#define SL_VMLINUX_MAX ((gsize) 1 << 30)

static guint32
rd32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

gboolean
sl_bzimage_payload (const guint8 *d, gsize n, gsize *offset, gsize *length, GError **error)
{
  g_return_val_if_fail (d != NULL || n == 0, FALSE);

  if (n < 0x250 || memcmp (d + 0x202, "HdrS", 4) != 0)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "not a bzImage (no \"HdrS\" boot header at 0x202)");
      return FALSE;
    }
  guint16 proto = (guint16) (d[0x206] | d[0x207] << 8);
  if (proto < 0x208)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_VERSION,
                   "bzImage boot protocol %u.%02u predates payload fields (need 2.08)",
                   proto >> 8, proto & 0xff);
      return FALSE;
    }
  guint setup_sects = d[0x1f1] ? d[0x1f1] : 4;   /* 0 means 4, per the boot protocol */
  guint64 start = (guint64) (setup_sects + 1) * 512 + rd32 (d + 0x248);
  guint64 len = rd32 (d + 0x24c);
  if (len < 8 || start > n || len > n - start)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT,
                   "bzImage payload (offset %" G_GUINT64_FORMAT ", length %" G_GUINT64_FORMAT
                   ") lies outside the %" G_GSIZE_FORMAT "-byte file", start, len, n);
      return FALSE;
    }
  *offset = (gsize) start;
  *length = (gsize) len;
  return TRUE;
}

gboolean
sl_elf_check_x86_64 (const guint8 *d, gsize n, GError **error)
{
  if (n < sizeof (Elf64_Ehdr) || memcmp (d, ELFMAG, SELFMAG) != 0)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "not an ELF file");
      return FALSE;
    }
  if (d[EI_CLASS] != ELFCLASS64 || d[EI_DATA] != ELFDATA2LSB)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "not a 64-bit little-endian ELF file");
      return FALSE;
    }
  Elf64_Ehdr eh;
  memcpy (&eh, d, sizeof eh);
  if (eh.e_machine != EM_X86_64)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "ELF machine %u is not x86-64", eh.e_machine);
      return FALSE;
    }
  if (eh.e_type != ET_EXEC)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "ELF type %u is not an executable (a vmlinux is ET_EXEC)", eh.e_type);
      return FALSE;
    }
  if (eh.e_shoff > n || (guint64) eh.e_shnum * sizeof (Elf64_Shdr) > n - eh.e_shoff)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "ELF section headers lie outside the file (truncated image?)");
      return FALSE;
    }
  return TRUE;
}

static Elf *
elf_open_mem (GBytes *elf, GError **error)
{
  gsize n;
  const guint8 *d = g_bytes_get_data (elf, &n);

  if (!sl_elf_check_x86_64 (d, n, error))
    return NULL;
  if (elf_version (EV_CURRENT) == EV_NONE)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED, "libelf: %s", elf_errmsg (-1));
      return NULL;
    }
  /* libelf only reads from the buffer when opened with elf_memory. */
  Elf *e = elf_memory ((char *) d, n);
  if (!e)
    g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "libelf: %s", elf_errmsg (-1));
  return e;
}

GBytes *
sl_elf_section (GBytes *elf, const char *name, guint64 *addr, GError **error)
{
  g_return_val_if_fail (elf != NULL && name != NULL, NULL);

  Elf *e = elf_open_mem (elf, error);
  if (!e)
    return NULL;

  gsize n = g_bytes_get_size (elf);
  size_t shstrndx;
  GBytes *result = NULL;
  if (elf_getshdrstrndx (e, &shstrndx) != 0)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "libelf: %s", elf_errmsg (-1));
      goto out;
    }
  for (Elf_Scn *scn = elf_nextscn (e, NULL); scn; scn = elf_nextscn (e, scn))
    {
      GElf_Shdr sh;
      if (!gelf_getshdr (scn, &sh))
        continue;
      const char *sname = elf_strptr (e, shstrndx, sh.sh_name);
      if (!sname || strcmp (sname, name) != 0)
        continue;
      if (sh.sh_type == SHT_NOBITS)
        break;
      if (sh.sh_offset > n || sh.sh_size > n - sh.sh_offset)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "ELF section %s lies outside the file", name);
          goto out;
        }
      if (addr)
        *addr = sh.sh_addr;
      result = g_bytes_new_from_bytes (elf, sh.sh_offset, sh.sh_size);
      break;
    }
out:
  elf_end (e);
  return result;
}

char *
sl_elf_build_id (GBytes *elf)
{
  g_return_val_if_fail (elf != NULL, NULL);

  Elf *e = elf_open_mem (elf, NULL);
  if (!e)
    return NULL;

  char *hex = NULL;
  for (Elf_Scn *scn = elf_nextscn (e, NULL); scn && !hex; scn = elf_nextscn (e, scn))
    {
      GElf_Shdr sh;
      if (!gelf_getshdr (scn, &sh) || sh.sh_type != SHT_NOTE)
        continue;
      Elf_Data *data = elf_getdata (scn, NULL);
      if (!data || !data->d_buf)
        continue;
      GElf_Nhdr nh;
      size_t off = 0, name_off, desc_off;
      while ((off = gelf_getnote (data, off, &nh, &name_off, &desc_off)) > 0)
        {
          if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
              memcmp ((const char *) data->d_buf + name_off, "GNU", 4) == 0 &&
              nh.n_descsz > 0 && nh.n_descsz <= 64)
            {
              const guint8 *id = (const guint8 *) data->d_buf + desc_off;
              GString *s = g_string_new (NULL);
              for (guint i = 0; i < nh.n_descsz; i++)
                g_string_append_printf (s, "%02x", id[i]);
              hex = g_string_free (s, FALSE);
              break;
            }
        }
    }
  elf_end (e);
  return hex;
}

/* linux_banner: "Linux version <release> (<builder>) ... \n". */
static void
find_banner (const guint8 *d, gsize n, char **banner, char **version)
{
  static const char needle[] = "Linux version ";
  const gsize nl = sizeof needle - 1;
  const guint8 *p = d, *end = d + n;

  while ((p = memmem (p, (gsize) (end - p), needle, nl)) != NULL)
    {
      const guint8 *v = p + nl;
      if (v < end && g_ascii_isdigit (*v))
        {
          const guint8 *e = v;
          while (e < end && e - p < 1024 && *e != '\0' && *e != '\n')
            e++;
          const guint8 *ve = v;
          while (ve < e && *ve != ' ')
            ve++;
          *banner = g_strndup ((const char *) p, (gsize) (e - p));
          *version = g_strndup ((const char *) v, (gsize) (ve - v));
          if (g_utf8_validate (*banner, -1, NULL) && g_utf8_validate (*version, -1, NULL))
            return;
          g_clear_pointer (banner, g_free);
          g_clear_pointer (version, g_free);
        }
      p += nl;
    }
}

char *
sl_kernel_image_ikconfig (GBytes *vmlinux)
{
  gsize n;
  const guint8 *d = g_bytes_get_data (vmlinux, &n);
  const guint8 *p = memmem (d, n, "IKCFG_ST", 8);

  if (!p)
    return NULL;
  p += 8;
  g_autoptr(GBytes) cfg = sl_decompress (SL_COMPRESSION_GZIP, p, (gsize) (d + n - p), 16 << 20, NULL, NULL);
  if (!cfg)
    return NULL;
  return g_strndup (g_bytes_get_data (cfg, NULL), g_bytes_get_size (cfg));
}

SlKernelImage *
sl_kernel_image_load (GBytes *file, GError **error)
{
  g_return_val_if_fail (file != NULL, NULL);

  gsize n;
  const guint8 *d = g_bytes_get_data (file, &n);
  g_autoptr(SlKernelImage) img = g_new0 (SlKernelImage, 1);

  if (n >= SELFMAG && memcmp (d, ELFMAG, SELFMAG) == 0)
    {
      img->vmlinux = g_bytes_ref (file);
      img->compression = SL_COMPRESSION_NONE;
    }
  else
    {
      gsize off, len;
      if (!sl_bzimage_payload (d, n, &off, &len, error))
        return NULL;
      img->was_bzimage = TRUE;
      img->compression = sl_compression_detect (d + off, len);
      if (img->compression == SL_COMPRESSION_UNKNOWN)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_FAILED,
                       "unsupported compression: bzImage payload starts with %02x %02x %02x %02x",
                       d[off], d[off + 1], d[off + 2], d[off + 3]);
          return NULL;
        }
      if (img->compression == SL_COMPRESSION_BZIP2 || img->compression == SL_COMPRESSION_LZO)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_FAILED,
                       "unsupported compression: the payload is %s; rebuild the kernel with "
                       "CONFIG_KERNEL_ZSTD, _XZ, _GZIP or _LZ4",
                       sl_compression_name (img->compression));
          return NULL;
        }
      g_autoptr(GError) local = NULL;
      gsize consumed = 0;
      img->vmlinux = sl_decompress (img->compression, d + off, len, SL_VMLINUX_MAX, &consumed, &local);
      if (!img->vmlinux)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "bzImage payload: %s", local->message);
          return NULL;
        }
      /* The kernel build appends the uncompressed size; a mismatch means truncation. */
      guint32 expect = rd32 (d + off + len - 4);
      if (expect != g_bytes_get_size (img->vmlinux))
        {
          g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT,
                       "bzImage payload decompressed to %" G_GSIZE_FORMAT " bytes, but its size "
                       "trailer says %u", g_bytes_get_size (img->vmlinux), expect);
          return NULL;
        }
    }

  gsize vn;
  const guint8 *vd = g_bytes_get_data (img->vmlinux, &vn);
  g_autoptr(GError) local = NULL;
  if (!sl_elf_check_x86_64 (vd, vn, &local))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "%s: %s",
                   img->was_bzimage ? "decompressed payload" : "vmlinux", local->message);
      return NULL;
    }
  find_banner (vd, vn, &img->banner, &img->version);
  img->build_id = sl_elf_build_id (img->vmlinux);
  return g_steal_pointer (&img);
}

void
sl_kernel_image_free (SlKernelImage *img)
{
  if (!img)
    return;
  g_clear_pointer (&img->vmlinux, g_bytes_unref);
  g_free (img->version);
  g_free (img->banner);
  g_free (img->build_id);
  g_free (img);
}
