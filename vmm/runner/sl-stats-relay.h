/* sl-stats-relay.h: scx_stats replies relayed by the guest agent (ktstr §7).
 *
 * The agent forwards one request line to the scheduler's unix socket and
 * returns the raw response line ("resp"), or a relay error ("relay_error")
 * when it could not connect, timed out, or the reply exceeded the cap. */
#pragma once

#include <json-glib/json-glib.h>
#include "sl-run.h"

G_BEGIN_DECLS

#define SL_STATS_MAX (256 * 1024)   /* response cap, as ktstr's relay */

/* Parses StatsResponse {"errno": n, "args": {"resp": {...}}}. Returns the "resp"
 * payload (a new node), or NULL with `missing` (cleared first) set to the typed
 * reason: NoScheduler{reason} for relay errors and malformed replies,
 * ResponseTooLarge for the cap, SchedulerError{errno, args} for a non-zero
 * errno, MissingResp{args} when "resp" is absent. */
JsonNode *sl_stats_relay_reply_parse (const char *resp, const char *relay_error, SlMissingStats *missing);

G_END_DECLS
