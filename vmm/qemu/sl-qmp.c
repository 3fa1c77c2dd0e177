/* sl-qmp.c: QMP framing and the handful of commands the runner needs. */
#include "sl-qmp.h"

#include <gio/gunixsocketaddress.h>
#include <string.h>

struct _SlQmp {
  GSocketConnection *conn;
  GSocket           *socket;
  GByteArray        *buf;       /* bytes received but not yet consumed as lines */
  GQueue             events;    /* JsonObject* */
  guint64            next_id;
  guint              timeout_ms;
  gboolean           closed;
};

void
sl_qmp_free (SlQmp *qmp)
{
  if (qmp == NULL)
    return;
  if (qmp->conn != NULL)
    g_io_stream_close (G_IO_STREAM (qmp->conn), NULL, NULL);
  g_clear_object (&qmp->conn);
  g_byte_array_unref (qmp->buf);
  g_queue_clear_full (&qmp->events, (GDestroyNotify) json_object_unref);
  g_free (qmp);
}

void
sl_qmp_set_timeout (SlQmp *qmp, guint timeout_ms)
{
  g_return_if_fail (qmp != NULL);
  qmp->timeout_ms = timeout_ms;
}

/* Takes one complete line out of the buffer, or returns NULL. */
static char *
take_line (SlQmp *qmp)
{
  guint8 *nl = qmp->buf->len > 0 ? memchr (qmp->buf->data, '\n', qmp->buf->len) : NULL;
  if (nl == NULL)
    return NULL;
  gsize n = nl - qmp->buf->data;
  char *line = g_strndup ((const char *) qmp->buf->data, n);
  g_byte_array_remove_range (qmp->buf, 0, n + 1);
  return line;
}

/* Receives more bytes; waits at most until `deadline` (monotonic µs; 0 = do not wait). */
static gboolean
receive_more (SlQmp *qmp, gint64 deadline, GError **error)
{
  if (qmp->closed)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "QMP: connection closed by QEMU");
      return FALSE;
    }
  gint64 wait = deadline == 0 ? 0 : MAX (deadline - g_get_monotonic_time (), 0);
  GError *local = NULL;
  if (!g_socket_condition_timed_wait (qmp->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, wait, NULL, &local))
    {
      if (deadline == 0 && g_error_matches (local, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        {
          g_error_free (local);
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "no data");
          return FALSE;
        }
      g_propagate_prefixed_error (error, local, "QMP: ");
      return FALSE;
    }
  guint8 chunk[8192];
  gssize n = g_socket_receive_with_blocking (qmp->socket, (char *) chunk, sizeof chunk, FALSE, NULL, error);
  if (n < 0)
    return FALSE;
  if (n == 0)
    {
      qmp->closed = TRUE;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "QMP: connection closed by QEMU");
      return FALSE;
    }
  if (qmp->buf->len + (gsize) n > SL_QMP_MAX_LINE
      && (qmp->buf->len == 0 || memchr (qmp->buf->data, '\n', qmp->buf->len) == NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE, "QMP: message longer than %u bytes", SL_QMP_MAX_LINE);
      return FALSE;
    }
  g_byte_array_append (qmp->buf, chunk, n);
  return TRUE;
}

/* Next JSON object from the stream (blank lines skipped). */
static JsonObject *
read_object (SlQmp *qmp, gint64 deadline, GError **error)
{
  for (;;)
    {
      g_autofree char *line = take_line (qmp);
      if (line == NULL)
        {
          if (!receive_more (qmp, deadline, error))
            return NULL;
          continue;
        }
      g_strstrip (line);
      if (*line == '\0')
        continue;
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      GError *local = NULL;
      if (!json_parser_load_from_data (parser, line, -1, &local))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "QMP: malformed JSON: %s", local->message);
          g_error_free (local);
          return NULL;
        }
      JsonNode *root = json_parser_get_root (parser);
      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "QMP: message is not a JSON object");
          return NULL;
        }
      return json_object_ref (json_node_get_object (root));
    }
}

static gboolean
send_line (SlQmp *qmp, const char *text, GError **error)
{
  g_autofree char *line = g_strconcat (text, "\n", NULL);
  gsize len = strlen (line), off = 0;
  while (off < len)
    {
      gssize n = g_socket_send_with_blocking (qmp->socket, line + off, len - off, TRUE, NULL, error);
      if (n <= 0)
        {
          if (n == 0)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "QMP: connection closed");
          return FALSE;
        }
      off += n;
    }
  return TRUE;
}

JsonNode *
sl_qmp_execute (SlQmp *qmp, const char *command, JsonObject *arguments, GError **error)
{
  g_return_val_if_fail (qmp != NULL && command != NULL, NULL);
  guint64 id = ++qmp->next_id;
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "execute");
  json_builder_add_string_value (b, command);
  if (arguments != NULL)
    {
      json_builder_set_member_name (b, "arguments");
      JsonNode *a = json_node_init_object (json_node_alloc (), arguments);
      json_builder_add_value (b, a);
    }
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, (gint64) id);
  json_builder_end_object (b);
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = json_to_string (root, FALSE);
  if (!send_line (qmp, text, error))
    return NULL;

  gint64 deadline = g_get_monotonic_time () + (gint64) qmp->timeout_ms * 1000;
  for (guint guard = 0; guard < 100000; guard++)
    {
      g_autoptr(JsonObject) obj = read_object (qmp, deadline, error);
      if (obj == NULL)
        {
          if (error != NULL && *error != NULL)
            g_prefix_error (error, "'%s': ", command);
          return NULL;
        }
      if (json_object_has_member (obj, "event"))
        {
          if (g_queue_get_length (&qmp->events) < 4096)
            g_queue_push_tail (&qmp->events, json_object_ref (obj));
          continue;
        }
      JsonNode *idn = json_object_get_member (obj, "id");
      if (idn == NULL || json_node_get_value_type (idn) != G_TYPE_INT64 || (guint64) json_node_get_int (idn) != id)
        continue;   /* a stale reply of an earlier command that timed out */
      if (json_object_has_member (obj, "error"))
        {
          JsonNode *en = json_object_get_member (obj, "error");
          const char *cls = "?", *desc = "?";
          if (JSON_NODE_HOLDS_OBJECT (en))
            {
              JsonObject *eo = json_node_get_object (en);
              cls = json_object_get_string_member_with_default (eo, "class", "?");
              desc = json_object_get_string_member_with_default (eo, "desc", "?");
            }
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "QMP '%s' failed: %s: %s", command, cls, desc);
          return NULL;
        }
      JsonNode *ret = json_object_get_member (obj, "return");
      if (ret == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "QMP '%s': reply has neither return nor error", command);
          return NULL;
        }
      return json_node_copy (ret);
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "QMP '%s': no reply", command);
  return NULL;
}

SlQmp *
sl_qmp_connect (const char *socket_path, guint timeout_ms, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (socket_path != NULL, NULL);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketAddress) addr = g_unix_socket_address_new (socket_path);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  GSocketConnection *conn = NULL;
  for (;;)
    {
      g_autoptr(GError) local = NULL;
      conn = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (addr), cancellable, &local);
      if (conn != NULL)
        break;
      if (g_cancellable_is_cancelled (cancellable) || g_get_monotonic_time () >= deadline)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "QMP: cannot connect to %s: %s", socket_path, local->message);
          return NULL;
        }
      g_usleep (20 * 1000);
    }
  SlQmp *qmp = g_new0 (SlQmp, 1);
  qmp->conn = conn;
  qmp->socket = g_socket_connection_get_socket (conn);
  qmp->buf = g_byte_array_new ();
  qmp->timeout_ms = 10000;
  g_queue_init (&qmp->events);

  g_autoptr(JsonObject) greeting = read_object (qmp, MAX (deadline, g_get_monotonic_time () + 1000000), error);
  if (greeting == NULL || !json_object_has_member (greeting, "QMP"))
    {
      if (greeting != NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "QMP: the first message is not a greeting");
      else
        g_prefix_error (error, "QMP greeting: ");
      sl_qmp_free (qmp);
      return NULL;
    }
  g_autoptr(JsonNode) ret = sl_qmp_execute (qmp, "qmp_capabilities", NULL, error);
  if (ret == NULL)
    {
      sl_qmp_free (qmp);
      return NULL;
    }
  return qmp;
}

static gboolean
simple (SlQmp *qmp, const char *command, GError **error)
{
  g_autoptr(JsonNode) ret = sl_qmp_execute (qmp, command, NULL, error);
  return ret != NULL;
}

gboolean
sl_qmp_stop (SlQmp *qmp, GError **error)
{
  g_return_val_if_fail (qmp != NULL, FALSE);
  return simple (qmp, "stop", error);
}

gboolean
sl_qmp_cont (SlQmp *qmp, GError **error)
{
  g_return_val_if_fail (qmp != NULL, FALSE);
  return simple (qmp, "cont", error);
}

gboolean
sl_qmp_quit (SlQmp *qmp, GError **error)
{
  g_return_val_if_fail (qmp != NULL, FALSE);
  g_autoptr(GError) local = NULL;
  if (simple (qmp, "quit", &local))
    return TRUE;
  if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED)
      || g_error_matches (local, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE)
      || g_error_matches (local, G_IO_ERROR, G_IO_ERROR_FAILED))
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

static gint
cmp_vcpu (gconstpointer a, gconstpointer b)
{
  const SlQmpVcpu *x = a, *y = b;
  return (x->cpu_index > y->cpu_index) - (x->cpu_index < y->cpu_index);
}

GArray *
sl_qmp_query_vcpus (SlQmp *qmp, GError **error)
{
  g_return_val_if_fail (qmp != NULL, NULL);
  g_autoptr(JsonNode) ret = sl_qmp_execute (qmp, "query-cpus-fast", NULL, error);
  if (ret == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (ret))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "QMP query-cpus-fast: not an array");
      return NULL;
    }
  JsonArray *arr = json_node_get_array (ret);
  guint n = json_array_get_length (arr);
  if (n > 4096)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "QMP query-cpus-fast: %u vCPUs", n);
      return NULL;
    }
  GArray *out = g_array_sized_new (FALSE, TRUE, sizeof (SlQmpVcpu), n);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *e = json_array_get_element (arr, i);
      if (!JSON_NODE_HOLDS_OBJECT (e))
        continue;
      JsonObject *o = json_node_get_object (e);
      gint64 idx = json_object_get_int_member_with_default (o, "cpu-index", -1);
      gint64 tid = json_object_get_int_member_with_default (o, "thread-id", -1);
      if (idx < 0 || idx > 4096 || tid <= 0 || tid > G_MAXINT)
        {
          g_array_unref (out);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "QMP query-cpus-fast: entry %u lacks cpu-index/thread-id", i);
          return NULL;
        }
      SlQmpVcpu v = { (guint) idx, (gint) tid };
      g_array_append_val (out, v);
    }
  g_array_sort (out, cmp_vcpu);
  return out;
}

gboolean
sl_qmp_poll_events (SlQmp *qmp, GError **error)
{
  g_return_val_if_fail (qmp != NULL, FALSE);
  for (guint guard = 0; guard < 1024; guard++)
    {
      if (qmp->buf->len == 0 || memchr (qmp->buf->data, '\n', qmp->buf->len) == NULL)
        {
          g_autoptr(GError) local = NULL;
          if (!receive_more (qmp, 0, &local))
            {
              if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
                return TRUE;
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
          continue;
        }
      g_autoptr(JsonObject) obj = read_object (qmp, 0, error);
      if (obj == NULL)
        return FALSE;
      if (json_object_has_member (obj, "event") && g_queue_get_length (&qmp->events) < 4096)
        g_queue_push_tail (&qmp->events, json_object_ref (obj));
    }
  return TRUE;
}

JsonObject *
sl_qmp_pop_event (SlQmp *qmp)
{
  g_return_val_if_fail (qmp != NULL, NULL);
  return g_queue_pop_head (&qmp->events);
}
