/* sl-guest-json.h: a tiny JSON emitter and scx_stats request parser for the
 * static guest binaries (no GLib or json-glib in the guest).
 *
 * The emitter always produces valid JSON: strings are escaped and invalid
 * UTF-8 is replaced by U+FFFD, so kernel-provided text (task names, exit
 * messages) cannot break a line. Allocation failure is sticky and reported
 * by slg_json_finish().
 */
#ifndef SL_GUEST_JSON_H
#define SL_GUEST_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SLG_JSON_MAX_DEPTH 32

typedef struct
{
  char *buf;
  size_t len;
  size_t cap;
  bool failed;                           /* out of memory or misuse */
  unsigned depth;
  bool has_items[SLG_JSON_MAX_DEPTH];    /* a comma is due before the next item */
  bool after_key;                        /* the next value completes a member */
} SlgJson;

void slg_json_init (SlgJson *j);
void slg_json_clear (SlgJson *j);
/* Returns the NUL-terminated text, or NULL if anything failed. */
const char *slg_json_finish (SlgJson *j);

void slg_json_begin_object (SlgJson *j);
void slg_json_end_object (SlgJson *j);
void slg_json_begin_array (SlgJson *j);
void slg_json_end_array (SlgJson *j);
void slg_json_key (SlgJson *j, const char *key);
void slg_json_string (SlgJson *j, const char *s);
void slg_json_string_len (SlgJson *j, const char *s, size_t len);
void slg_json_u64 (SlgJson *j, uint64_t v);
void slg_json_i64 (SlgJson *j, int64_t v);
void slg_json_bool (SlgJson *j, bool v);
/* Rounded to 3 decimals; NaN and infinities become null. */
void slg_json_double (SlgJson *j, double v);
void slg_json_null (SlgJson *j);

/* Shorthands for a member: key then value. */
void slg_json_kv_string (SlgJson *j, const char *key, const char *s);
void slg_json_kv_u64 (SlgJson *j, const char *key, uint64_t v);
void slg_json_kv_i64 (SlgJson *j, const char *key, int64_t v);

/* ---- requests: {"req":"<verb>","args":{"k":"v",...}} ------------------ */

#define SLG_REQ_MAX_ARGS 16
#define SLG_REQ_STR_MAX 256
#define SLG_REQ_LINE_MAX (256 * 1024)

typedef struct
{
  char key[SLG_REQ_STR_MAX];
  char value[SLG_REQ_STR_MAX];
} SlgRequestArg;

typedef struct
{
  char req[SLG_REQ_STR_MAX];
  SlgRequestArg args[SLG_REQ_MAX_ARGS];
  unsigned n_args;
} SlgRequest;

/* Parses one request line (without its newline). On failure returns false
 * and writes a message naming the problem and its byte offset into err. */
bool slg_request_parse (const char *line, size_t len, SlgRequest *out,
                        char *err, size_t err_len);
const char *slg_request_arg (const SlgRequest *r, const char *key);

#endif /* SL_GUEST_JSON_H */
