/* sl-sched-server.h: the scx_stats unix-socket server of a bundled scheduler.
 *
 * Line-delimited JSON, strictly request/response. Single-threaded: the
 * loader's main loop calls slg_server_poll(), which accepts clients, reads
 * complete lines and answers each through the handler.
 */
#ifndef SL_SCHED_SERVER_H
#define SL_SCHED_SERVER_H

#include <stddef.h>
#include "sl-guest-json.h"

#define SLG_STATS_SOCKET_DEFAULT "/var/run/scx/root/stats"
#define SLG_SERVER_MAX_CLIENTS 16

typedef struct SlgServer SlgServer;

/* Writes the complete response object for one well-formed request into out. */
typedef void (*SlgServerHandler) (const SlgRequest *req, SlgJson *out, void *user);

/* Creates the parent directories, replaces a stale socket, listens. */
SlgServer *slg_server_new (const char *path, char *err, size_t err_len);
/* Waits up to timeout_ms for activity and serves it; returns -1 on a fatal
 * error of the listening socket, else the number of requests answered. */
int slg_server_poll (SlgServer *s, int timeout_ms, SlgServerHandler handler, void *user);
void slg_server_free (SlgServer *s);

#endif /* SL_SCHED_SERVER_H */
