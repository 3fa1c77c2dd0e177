/* sl-types.c: the error domain and scalar helpers. */
#include "sl-types.h"

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (sl-error-quark, sl_error)

const char *
sl_scalar_type_name (SlScalarType type)
{
  switch (type)
    {
    case SL_SCALAR_U64: return "u64";
    case SL_SCALAR_I64: return "i64";
    case SL_SCALAR_F64: return "f64";
    case SL_SCALAR_BOOL: return "bool";
    }
  return "?";
}

gboolean
sl_scalar_type_parse (const char *name, SlScalarType *out)
{
  static const SlScalarType all[] = { SL_SCALAR_U64, SL_SCALAR_I64, SL_SCALAR_F64, SL_SCALAR_BOOL };

  g_return_val_if_fail (out != NULL, FALSE);
  if (name == NULL)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (all); i++)
    if (strcmp (name, sl_scalar_type_name (all[i])) == 0)
      {
        *out = all[i];
        return TRUE;
      }
  return FALSE;
}

double
sl_scalar_to_f64 (SlScalar s)
{
  switch (s.type)
    {
    case SL_SCALAR_U64: return (double) s.u;
    case SL_SCALAR_I64: return (double) s.i;
    case SL_SCALAR_F64: return s.f;
    case SL_SCALAR_BOOL: return s.b ? 1.0 : 0.0;
    }
  return NAN;
}

char *
sl_scalar_to_string (SlScalar s)
{
  switch (s.type)
    {
    case SL_SCALAR_U64: return g_strdup_printf ("%" G_GUINT64_FORMAT, s.u);
    case SL_SCALAR_I64: return g_strdup_printf ("%" G_GINT64_FORMAT, s.i);
    case SL_SCALAR_BOOL: return g_strdup (s.b ? "true" : "false");
    case SL_SCALAR_F64:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        if (isnan (s.f))
          return g_strdup ("NaN");
        if (isinf (s.f))
          return g_strdup (s.f > 0 ? "inf" : "-inf");
        /* Shortest text that reads back to the same double. */
        for (int prec = 1; prec <= 17; prec++)
          {
            char fmt[8];

            g_snprintf (fmt, sizeof fmt, "%%.%dg", prec);
            g_ascii_formatd (buf, sizeof buf, fmt, s.f);
            if (g_ascii_strtod (buf, NULL) == s.f)
              break;
          }
        return g_strdup (buf);
      }
    }
  return g_strdup ("?");
}
