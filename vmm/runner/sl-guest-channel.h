/* sl-guest-channel.h: the host end of the control channel (the guest's ttyS1).
 *
 * Guest → host: one JSON object per line, each with "t" (type) and "seq".
 * Host → guest: "ack <seq>", "stats <id> <request line>", "poweroff".
 * The guest is untrusted: a line longer than SL_GUEST_MAX_LINE is dropped
 * (reported as an error line), and anything that is not a JSON object is an error. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SL_GUEST_MAX_LINE (512 * 1024)

typedef struct _SlGuestChannel SlGuestChannel;

/* `msg` is a guest message, or NULL with `error` set for a bad line; a NULL msg
 * and NULL error means the guest closed the channel. */
typedef void (*SlGuestMessageFunc) (JsonObject *msg, const GError *error, gpointer user_data);

SlGuestChannel *sl_guest_channel_new (GSocketConnection *conn, SlGuestMessageFunc func, gpointer user_data);
gboolean        sl_guest_channel_send (SlGuestChannel *ch, const char *line, GError **error);
/* Parses one line (exposed for tests). */
JsonObject     *sl_guest_message_parse (const char *line, gsize len, GError **error);
void            sl_guest_channel_free (SlGuestChannel *ch);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlGuestChannel, sl_guest_channel_free)

G_END_DECLS
