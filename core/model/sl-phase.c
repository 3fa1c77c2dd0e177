/* sl-phase.c: BASELINE = 0, Step[k] = k + 1 (ktstr's Phase). */
#include "sl-phase.h"

#include <string.h>

guint16
sl_phase_step (guint k)
{
  return k >= G_MAXUINT16 ? G_MAXUINT16 : (guint16) (k + 1);
}

char *
sl_phase_label (guint16 phase)
{
  if (phase == SL_PHASE_BASELINE)
    return g_strdup ("BASELINE");
  return g_strdup_printf ("Step[%u]", (guint) phase - 1);
}

static gboolean
parse_bounded (const char *text, guint64 max, guint64 *out)
{
  g_autoptr(GError) error = NULL;

  return g_ascii_string_to_unsigned (text, 10, 0, max, out, &error);
}

gboolean
sl_phase_parse (const char *text, guint16 *out)
{
  guint64 v;

  g_return_val_if_fail (out != NULL, FALSE);
  if (text == NULL)
    return FALSE;
  if (strcmp (text, "BASELINE") == 0)
    {
      *out = SL_PHASE_BASELINE;
      return TRUE;
    }
  if (g_str_has_prefix (text, "Step[") && g_str_has_suffix (text, "]"))
    {
      gsize len = strlen (text);
      g_autofree char *num = g_strndup (text + 5, len - 6);

      if (!parse_bounded (num, G_MAXUINT16 - 1, &v))
        return FALSE;
      *out = (guint16) (v + 1);
      return TRUE;
    }
  if (!parse_bounded (text, G_MAXUINT16, &v))
    return FALSE;
  *out = (guint16) v;
  return TRUE;
}
