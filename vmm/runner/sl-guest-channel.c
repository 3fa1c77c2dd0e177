/* sl-guest-channel.c: line framing of the control channel. */
#include "sl-guest-channel.h"

#include <string.h>

struct _SlGuestChannel {
  GSocketConnection *conn;
  GCancellable      *cancel;
  GByteArray        *buf;
  gboolean           skipping;   /* inside an over-long line */
  guint8             chunk[16384];
  SlGuestMessageFunc func;
  gpointer           user_data;
};

JsonObject *
sl_guest_message_parse (const char *line, gsize len, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  if (!g_utf8_validate (line, len, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "guest message is not UTF-8");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, line, len, error))
    return NULL;
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "guest message is not a JSON object");
      return NULL;
    }
  JsonObject *o = json_node_get_object (root);
  JsonNode *t = json_object_get_member (o, "t");
  if (t == NULL || json_node_get_value_type (t) != G_TYPE_STRING)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "guest message has no string \"t\"");
      return NULL;
    }
  return json_object_ref (o);
}

static void read_more (SlGuestChannel *ch);

static void
dispatch_lines (SlGuestChannel *ch)
{
  for (;;)
    {
      guint8 *nl = ch->buf->len > 0 ? memchr (ch->buf->data, '\n', ch->buf->len) : NULL;
      if (nl == NULL)
        break;
      gsize n = nl - ch->buf->data;
      if (ch->skipping)
        ch->skipping = FALSE;
      else
        {
          gsize len = n;
          if (len > 0 && ch->buf->data[len - 1] == '\r')
            len--;
          if (len > 0)
            {
              GError *error = NULL;
              g_autoptr(JsonObject) msg = sl_guest_message_parse ((const char *) ch->buf->data, len, &error);
              ch->func (msg, error, ch->user_data);
              g_clear_error (&error);
            }
        }
      g_byte_array_remove_range (ch->buf, 0, n + 1);
    }
  if (ch->buf->len > SL_GUEST_MAX_LINE)
    {
      GError *error = g_error_new (G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                                   "guest line longer than %u bytes dropped", SL_GUEST_MAX_LINE);
      ch->func (NULL, error, ch->user_data);
      g_error_free (error);
      g_byte_array_set_size (ch->buf, 0);
      ch->skipping = TRUE;
    }
}

static void
read_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), res, &error);
  if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* the channel is being freed: do not touch it */
  SlGuestChannel *ch = user_data;
  if (n <= 0)
    {
      ch->func (NULL, n < 0 ? error : NULL, ch->user_data);
      return;
    }
  g_byte_array_append (ch->buf, ch->chunk, n);
  dispatch_lines (ch);
  read_more (ch);
}

static void
read_more (SlGuestChannel *ch)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (ch->conn));
  g_input_stream_read_async (in, ch->chunk, sizeof ch->chunk, G_PRIORITY_DEFAULT, ch->cancel, read_done, ch);
}

SlGuestChannel *
sl_guest_channel_new (GSocketConnection *conn, SlGuestMessageFunc func, gpointer user_data)
{
  g_return_val_if_fail (G_IS_SOCKET_CONNECTION (conn) && func != NULL, NULL);
  SlGuestChannel *ch = g_new0 (SlGuestChannel, 1);
  ch->conn = g_object_ref (conn);
  ch->cancel = g_cancellable_new ();
  ch->buf = g_byte_array_new ();
  ch->func = func;
  ch->user_data = user_data;
  read_more (ch);
  return ch;
}

gboolean
sl_guest_channel_send (SlGuestChannel *ch, const char *line, GError **error)
{
  g_return_val_if_fail (ch != NULL && line != NULL, FALSE);
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (ch->conn));
  g_autofree char *full = g_strconcat (line, "\n", NULL);
  return g_output_stream_write_all (out, full, strlen (full), NULL, NULL, error);
}

void
sl_guest_channel_free (SlGuestChannel *ch)
{
  if (ch == NULL)
    return;
  g_cancellable_cancel (ch->cancel);
  /* The pending read holds `ch` as user data; let its cancelled completion run
   * before freeing. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_io_stream_close (G_IO_STREAM (ch->conn), NULL, NULL);
  g_object_unref (ch->conn);
  g_object_unref (ch->cancel);
  g_byte_array_unref (ch->buf);
  g_free (ch);
}
