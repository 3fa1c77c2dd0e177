/* sl-qmp.h: a small synchronous QMP client over a unix socket.
 *
 * QMP is one JSON object per line. The client reads the greeting, negotiates
 * capabilities, then sends commands with an "id" and waits (bounded) for the
 * matching reply. Asynchronous events that arrive meanwhile are queued for
 * sl_qmp_pop_event(). Replies are untrusted input: line length is bounded and
 * anything that is not a JSON object is an error. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SL_QMP_MAX_LINE (4u * 1024 * 1024)

typedef struct _SlQmp SlQmp;

typedef struct {
  guint cpu_index;
  gint  thread_id;
} SlQmpVcpu;

/* Connects to `socket_path`, retrying until `timeout_ms` passes (QEMU creates the
 * socket shortly after it starts), reads the greeting and sends qmp_capabilities. */
SlQmp    *sl_qmp_connect (const char *socket_path, guint timeout_ms, GCancellable *cancellable, GError **error);
/* Per-command reply timeout (default 10 s). */
void      sl_qmp_set_timeout (SlQmp *qmp, guint timeout_ms);
/* Runs `command` with optional `arguments` (borrowed) and returns the "return"
 * member (a new reference). A QMP error reply becomes a G_IO_ERROR_FAILED naming
 * the class and description. */
JsonNode *sl_qmp_execute (SlQmp *qmp, const char *command, JsonObject *arguments, GError **error);
gboolean  sl_qmp_stop (SlQmp *qmp, GError **error);
gboolean  sl_qmp_cont (SlQmp *qmp, GError **error);
/* Sends "quit"; QEMU may close the socket before or after replying, both are fine. */
gboolean  sl_qmp_quit (SlQmp *qmp, GError **error);
/* query-cpus-fast: vCPU index → host thread id, sorted by index. */
GArray   *sl_qmp_query_vcpus (SlQmp *qmp, GError **error);
/* Reads whatever is already buffered or readable without blocking, queueing events. */
gboolean  sl_qmp_poll_events (SlQmp *qmp, GError **error);
/* Oldest queued event object ({"event":..., "data":..., "timestamp":...}), or NULL. */
JsonObject *sl_qmp_pop_event (SlQmp *qmp);
void      sl_qmp_free (SlQmp *qmp);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlQmp, sl_qmp_free)

G_END_DECLS
