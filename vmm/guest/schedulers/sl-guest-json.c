/* sl-guest-json.c: see sl-guest-json.h. */
#include "sl-guest-json.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- emitter ------------------------------------------------------------ */

void
slg_json_init (SlgJson *j)
{
  memset (j, 0, sizeof *j);
}

void
slg_json_clear (SlgJson *j)
{
  free (j->buf);
  slg_json_init (j);
}

static void
put (SlgJson *j, const char *s, size_t n)
{
  size_t need;
  char *nb;

  if (j->failed)
    return;
  need = j->len + n + 1;
  if (need > j->cap)
    {
      size_t cap = j->cap ? j->cap : 256;
      while (cap < need)
        cap *= 2;
      nb = realloc (j->buf, cap);
      if (!nb)
        {
          j->failed = true;
          return;
        }
      j->buf = nb;
      j->cap = cap;
    }
  memcpy (j->buf + j->len, s, n);
  j->len += n;
  j->buf[j->len] = '\0';
}

static void
putc1 (SlgJson *j, char c)
{
  put (j, &c, 1);
}

/* Separator bookkeeping before any value or key. */
static void
before_item (SlgJson *j)
{
  if (j->after_key)
    {
      j->after_key = false;
      return;
    }
  if (j->depth > 0 && j->has_items[j->depth - 1])
    putc1 (j, ',');
  if (j->depth > 0)
    j->has_items[j->depth - 1] = true;
}

const char *
slg_json_finish (SlgJson *j)
{
  if (j->failed || j->depth != 0 || j->after_key || !j->buf)
    return NULL;
  return j->buf;
}

static void
open_container (SlgJson *j, char c)
{
  before_item (j);
  if (j->depth >= SLG_JSON_MAX_DEPTH)
    {
      j->failed = true;
      return;
    }
  putc1 (j, c);
  j->has_items[j->depth++] = false;
}

static void
close_container (SlgJson *j, char c)
{
  if (j->depth == 0 || j->after_key)
    {
      j->failed = true;
      return;
    }
  j->depth--;
  putc1 (j, c);
}

void slg_json_begin_object (SlgJson *j) { open_container (j, '{'); }
void slg_json_end_object (SlgJson *j) { close_container (j, '}'); }
void slg_json_begin_array (SlgJson *j) { open_container (j, '['); }
void slg_json_end_array (SlgJson *j) { close_container (j, ']'); }

/* Length of the valid UTF-8 sequence at s (1–4), or 0 if invalid. */
static size_t
utf8_seq_len (const unsigned char *s, size_t avail)
{
  unsigned char c = s[0];
  size_t n;
  uint32_t cp;

  if (c < 0x80)
    return 1;
  if (c >= 0xc2 && c <= 0xdf)
    n = 2, cp = c & 0x1f;
  else if (c >= 0xe0 && c <= 0xef)
    n = 3, cp = c & 0x0f;
  else if (c >= 0xf0 && c <= 0xf4)
    n = 4, cp = c & 0x07;
  else
    return 0;
  if (n > avail)
    return 0;
  for (size_t i = 1; i < n; i++)
    {
      if ((s[i] & 0xc0) != 0x80)
        return 0;
      cp = (cp << 6) | (s[i] & 0x3f);
    }
  /* Reject overlong forms, surrogates and values past U+10FFFF. */
  if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
      (cp >= 0xd800 && cp <= 0xdfff))
    return 0;
  return n;
}

static void
put_escaped (SlgJson *j, const char *s, size_t len)
{
  const unsigned char *u = (const unsigned char *) s;
  size_t i = 0;
  char tmp[8];

  putc1 (j, '"');
  while (i < len)
    {
      unsigned char c = u[i];
      size_t n;

      switch (c)
        {
        case '"': put (j, "\\\"", 2); i++; continue;
        case '\\': put (j, "\\\\", 2); i++; continue;
        case '\n': put (j, "\\n", 2); i++; continue;
        case '\r': put (j, "\\r", 2); i++; continue;
        case '\t': put (j, "\\t", 2); i++; continue;
        default: break;
        }
      if (c < 0x20 || c == 0x7f)
        {
          snprintf (tmp, sizeof tmp, "\\u%04x", c);
          put (j, tmp, 6);
          i++;
          continue;
        }
      n = utf8_seq_len (u + i, len - i);
      if (n == 0)
        {
          put (j, "\\ufffd", 6);
          i++;
          continue;
        }
      put (j, s + i, n);
      i += n;
    }
  putc1 (j, '"');
}

void
slg_json_key (SlgJson *j, const char *key)
{
  if (j->depth == 0 || j->after_key)
    {
      j->failed = true;
      return;
    }
  before_item (j);
  put_escaped (j, key, strlen (key));
  putc1 (j, ':');
  j->after_key = true;
}

void
slg_json_string_len (SlgJson *j, const char *s, size_t len)
{
  before_item (j);
  put_escaped (j, s, len);
}

void
slg_json_string (SlgJson *j, const char *s)
{
  if (!s)
    {
      slg_json_null (j);
      return;
    }
  slg_json_string_len (j, s, strlen (s));
}

void
slg_json_u64 (SlgJson *j, uint64_t v)
{
  char tmp[24];
  int n = snprintf (tmp, sizeof tmp, "%" PRIu64, v);
  before_item (j);
  put (j, tmp, (size_t) n);
}

void
slg_json_i64 (SlgJson *j, int64_t v)
{
  char tmp[24];
  int n = snprintf (tmp, sizeof tmp, "%" PRId64, v);
  before_item (j);
  put (j, tmp, (size_t) n);
}

void
slg_json_double (SlgJson *j, double v)
{
  char tmp[40];
  int n;

  if (v != v || v > 1e300 || v < -1e300)
    {
      slg_json_null (j);
      return;
    }
  /* %.3f of a huge value would not fit: large ones keep full precision instead. */
  if (v < 1e15 && v > -1e15)
    n = snprintf (tmp, sizeof tmp, "%.3f", v);
  else
    n = snprintf (tmp, sizeof tmp, "%.17g", v);
  before_item (j);
  put (j, tmp, (size_t) n);
}

void
slg_json_bool (SlgJson *j, bool v)
{
  before_item (j);
  put (j, v ? "true" : "false", v ? 4 : 5);
}

void
slg_json_null (SlgJson *j)
{
  before_item (j);
  put (j, "null", 4);
}

void
slg_json_kv_string (SlgJson *j, const char *key, const char *s)
{
  slg_json_key (j, key);
  slg_json_string (j, s);
}

void
slg_json_kv_u64 (SlgJson *j, const char *key, uint64_t v)
{
  slg_json_key (j, key);
  slg_json_u64 (j, v);
}

void
slg_json_kv_i64 (SlgJson *j, const char *key, int64_t v)
{
  slg_json_key (j, key);
  slg_json_i64 (j, v);
}

/* ---- request parser ----------------------------------------------------- */

#define PARSE_MAX_DEPTH 16

typedef struct
{
  const char *s;
  size_t len;
  size_t pos;
  char *err;
  size_t err_len;
  bool failed;
} Parser;

static bool fail (Parser *p, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

static bool
fail (Parser *p, const char *fmt, ...)
{
  va_list ap;
  char msg[160];

  if (p->failed)
    return false;
  p->failed = true;
  va_start (ap, fmt);
  vsnprintf (msg, sizeof msg, fmt, ap);
  va_end (ap);
  if (p->err && p->err_len)
    snprintf (p->err, p->err_len, "%s at byte %zu", msg, p->pos);
  return false;
}

static void
skip_ws (Parser *p)
{
  while (p->pos < p->len &&
         (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
          p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
    p->pos++;
}

static bool
expect (Parser *p, char c)
{
  skip_ws (p);
  if (p->pos >= p->len || p->s[p->pos] != c)
    return fail (p, "expected '%c'", c);
  p->pos++;
  return true;
}

static int
hex4 (Parser *p, uint32_t *out)
{
  uint32_t v = 0;

  if (p->len - p->pos < 4)
    return fail (p, "truncated \\u escape");
  for (int i = 0; i < 4; i++)
    {
      char c = p->s[p->pos++];
      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= (uint32_t) (c - '0');
      else if (c >= 'a' && c <= 'f')
        v |= (uint32_t) (c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        v |= (uint32_t) (c - 'A' + 10);
      else
        return fail (p, "bad hex digit in \\u escape");
    }
  *out = v;
  return true;
}

/* Appends a code point as UTF-8 if it fits; returns false when it does not. */
static bool
out_cp (char *out, size_t cap, size_t *n, uint32_t cp)
{
  char b[4];
  size_t k;

  if (cp < 0x80)
    b[0] = (char) cp, k = 1;
  else if (cp < 0x800)
    b[0] = (char) (0xc0 | (cp >> 6)), b[1] = (char) (0x80 | (cp & 0x3f)), k = 2;
  else if (cp < 0x10000)
    b[0] = (char) (0xe0 | (cp >> 12)), b[1] = (char) (0x80 | ((cp >> 6) & 0x3f)),
    b[2] = (char) (0x80 | (cp & 0x3f)), k = 3;
  else
    b[0] = (char) (0xf0 | (cp >> 18)), b[1] = (char) (0x80 | ((cp >> 12) & 0x3f)),
    b[2] = (char) (0x80 | ((cp >> 6) & 0x3f)), b[3] = (char) (0x80 | (cp & 0x3f)), k = 4;
  if (!out)
    return true;
  if (*n + k >= cap)
    return false;
  memcpy (out + *n, b, k);
  *n += k;
  return true;
}

/* Parses a string; stores it (NUL-terminated) in out if out != NULL. */
static bool
parse_string (Parser *p, char *out, size_t cap, const char *what)
{
  size_t n = 0;

  if (!expect (p, '"'))
    return false;
  while (true)
    {
      unsigned char c;
      uint32_t cp;

      if (p->pos >= p->len)
        return fail (p, "unterminated string");
      c = (unsigned char) p->s[p->pos];
      if (c == '"')
        {
          p->pos++;
          break;
        }
      if (c < 0x20)
        return fail (p, "control character in string");
      if (c == '\\')
        {
          if (++p->pos >= p->len)
            return fail (p, "unterminated escape");
          c = (unsigned char) p->s[p->pos++];
          switch (c)
            {
            case '"': cp = '"'; break;
            case '\\': cp = '\\'; break;
            case '/': cp = '/'; break;
            case 'b': cp = '\b'; break;
            case 'f': cp = '\f'; break;
            case 'n': cp = '\n'; break;
            case 'r': cp = '\r'; break;
            case 't': cp = '\t'; break;
            case 'u':
              if (!hex4 (p, &cp))
                return false;
              if (cp >= 0xd800 && cp <= 0xdbff)
                {
                  uint32_t lo;
                  if (p->len - p->pos < 2 || p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u')
                    return fail (p, "unpaired surrogate");
                  p->pos += 2;
                  if (!hex4 (p, &lo))
                    return false;
                  if (lo < 0xdc00 || lo > 0xdfff)
                    return fail (p, "unpaired surrogate");
                  cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                }
              else if (cp >= 0xdc00 && cp <= 0xdfff)
                return fail (p, "unpaired surrogate");
              break;
            default:
              p->pos--;
              return fail (p, "bad escape '\\%c'", c);
            }
          if (cp == 0)
            return fail (p, "NUL in string");
          if (!out_cp (out, cap, &n, cp))
            return fail (p, "%s longer than %zu bytes", what, cap - 1);
          continue;
        }
      {
        size_t k = utf8_seq_len ((const unsigned char *) p->s + p->pos, p->len - p->pos);
        if (k == 0)
          return fail (p, "invalid UTF-8 in string");
        if (out)
          {
            if (n + k >= cap)
              return fail (p, "%s longer than %zu bytes", what, cap - 1);
            memcpy (out + n, p->s + p->pos, k);
            n += k;
          }
        p->pos += k;
      }
    }
  if (out)
    out[n] = '\0';
  return true;
}

static bool skip_value (Parser *p, unsigned depth);

static bool
skip_literal (Parser *p, const char *lit)
{
  size_t n = strlen (lit);
  if (p->len - p->pos < n || memcmp (p->s + p->pos, lit, n) != 0)
    return fail (p, "invalid literal");
  p->pos += n;
  return true;
}

static bool
skip_number (Parser *p)
{
  size_t start = p->pos;

  if (p->pos < p->len && p->s[p->pos] == '-')
    p->pos++;
  if (p->pos >= p->len)
    return fail (p, "truncated number");
  if (p->s[p->pos] == '0')
    p->pos++;
  else if (p->s[p->pos] >= '1' && p->s[p->pos] <= '9')
    while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
      p->pos++;
  else
    return fail (p, "invalid number");
  if (p->pos < p->len && p->s[p->pos] == '.')
    {
      p->pos++;
      if (p->pos >= p->len || p->s[p->pos] < '0' || p->s[p->pos] > '9')
        return fail (p, "invalid number");
      while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
        p->pos++;
    }
  if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E'))
    {
      p->pos++;
      if (p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
        p->pos++;
      if (p->pos >= p->len || p->s[p->pos] < '0' || p->s[p->pos] > '9')
        return fail (p, "invalid number");
      while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
        p->pos++;
    }
  return p->pos > start;
}

static bool
skip_container (Parser *p, unsigned depth, char close, bool is_object)
{
  p->pos++; /* the opening bracket */
  if (depth >= PARSE_MAX_DEPTH)
    return fail (p, "nesting deeper than %d", PARSE_MAX_DEPTH);
  skip_ws (p);
  if (p->pos < p->len && p->s[p->pos] == close)
    {
      p->pos++;
      return true;
    }
  while (true)
    {
      if (is_object)
        {
          if (!parse_string (p, NULL, 0, "key") || !expect (p, ':'))
            return false;
        }
      if (!skip_value (p, depth + 1))
        return false;
      skip_ws (p);
      if (p->pos < p->len && p->s[p->pos] == ',')
        {
          p->pos++;
          continue;
        }
      return expect (p, close);
    }
}

static bool
skip_value (Parser *p, unsigned depth)
{
  skip_ws (p);
  if (p->pos >= p->len)
    return fail (p, "expected a value");
  switch (p->s[p->pos])
    {
    case '{': return skip_container (p, depth, '}', true);
    case '[': return skip_container (p, depth, ']', false);
    case '"': return parse_string (p, NULL, 0, "string");
    case 't': return skip_literal (p, "true");
    case 'f': return skip_literal (p, "false");
    case 'n': return skip_literal (p, "null");
    default: return skip_number (p);
    }
}

static bool
parse_args (Parser *p, SlgRequest *out)
{
  skip_ws (p);
  if (p->pos + 4 <= p->len && memcmp (p->s + p->pos, "null", 4) == 0)
    {
      p->pos += 4;
      return true;
    }
  if (p->pos >= p->len || p->s[p->pos] != '{')
    return fail (p, "\"args\" must be an object");
  p->pos++;
  skip_ws (p);
  if (p->pos < p->len && p->s[p->pos] == '}')
    {
      p->pos++;
      return true;
    }
  while (true)
    {
      SlgRequestArg a;
      unsigned i;

      if (!parse_string (p, a.key, sizeof a.key, "argument name") || !expect (p, ':'))
        return false;
      skip_ws (p);
      if (p->pos >= p->len || p->s[p->pos] != '"')
        return fail (p, "argument \"%s\" is not a string", a.key);
      if (!parse_string (p, a.value, sizeof a.value, "argument value"))
        return false;
      for (i = 0; i < out->n_args; i++)
        if (strcmp (out->args[i].key, a.key) == 0)
          break;
      if (i == out->n_args)
        {
          if (out->n_args >= SLG_REQ_MAX_ARGS)
            return fail (p, "more than %d arguments", SLG_REQ_MAX_ARGS);
          out->n_args++;
        }
      out->args[i] = a;
      skip_ws (p);
      if (p->pos < p->len && p->s[p->pos] == ',')
        {
          p->pos++;
          continue;
        }
      return expect (p, '}');
    }
}

bool
slg_request_parse (const char *line, size_t len, SlgRequest *out,
                   char *err, size_t err_len)
{
  Parser p = { line, len, 0, err, err_len, false };
  bool have_req = false;

  memset (out, 0, sizeof *out);
  if (err && err_len)
    err[0] = '\0';
  if (len > SLG_REQ_LINE_MAX)
    return fail (&p, "request longer than %d bytes", SLG_REQ_LINE_MAX);
  if (!expect (&p, '{'))
    return fail (&p, "request is not a JSON object");
  skip_ws (&p);
  if (p.pos < p.len && p.s[p.pos] == '}')
    p.pos++;
  else
    while (true)
      {
        char key[SLG_REQ_STR_MAX];

        if (!parse_string (&p, key, sizeof key, "member name") || !expect (&p, ':'))
          return false;
        if (strcmp (key, "req") == 0)
          {
            skip_ws (&p);
            if (p.pos >= p.len || p.s[p.pos] != '"')
              return fail (&p, "\"req\" is not a string");
            if (!parse_string (&p, out->req, sizeof out->req, "\"req\""))
              return false;
            have_req = true;
          }
        else if (strcmp (key, "args") == 0)
          {
            out->n_args = 0;
            if (!parse_args (&p, out))
              return false;
          }
        else if (!skip_value (&p, 1))
          return false;
        skip_ws (&p);
        if (p.pos < p.len && p.s[p.pos] == ',')
          {
            p.pos++;
            continue;
          }
        if (!expect (&p, '}'))
          return false;
        break;
      }
  skip_ws (&p);
  if (p.pos != p.len)
    return fail (&p, "trailing data after the request");
  if (!have_req)
    return fail (&p, "no \"req\" member");
  return true;
}

const char *
slg_request_arg (const SlgRequest *r, const char *key)
{
  for (unsigned i = 0; i < r->n_args && i < SLG_REQ_MAX_ARGS; i++)
    if (strcmp (r->args[i].key, key) == 0)
      return r->args[i].value;
  return NULL;
}
