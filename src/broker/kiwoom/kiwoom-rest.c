/* kiwoom-rest.c — Kiwoom REST: token lifecycle, TR calls, paging, rate limits, errors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every request waits for a slot in its api-id's token bucket (and orders in one more,
 * shared), so Hoga stays under the broker's limits instead of discovering them through
 * 1700 replies. The buckets run 10 % under the configured rate: the server's clock and
 * ours see the same requests a little apart, and a request that arrives a millisecond
 * early is refused.
 *
 * Orders are never re-sent on a lost reply: only a reply that says the request was not
 * executed (1700, or a refused token, which is checked before anything executes) is
 * retried; anything else that leaves the outcome open is OUTCOME_UNKNOWN for the order
 * book to reconcile.
 */
#define G_LOG_DOMAIN "hoga-kiwoom"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hoga-krx.h"
#include "kiwoom-rest.h"
#include "kiwoom-rest-private.h"

#define TOKEN_REFRESH_MARGIN_US   (10 * 60 * G_USEC_PER_SEC)
#define RATE_SAFETY                0.9
#define MAX_RATE_LIMIT_RETRIES     6
#define RETRY_BASE_MS            250
#define DEFAULT_MAX_PAGES         50
#define CONTENT_TYPE              "application/json;charset=UTF-8"
#define HTTP_TOO_MANY_REQUESTS   429    /* libsoup 3.2 has no name for it */
#define MAX_CONNS_PER_HOST         8
/* TR requests on the wire at once: one connection is left for a token request. */
#define MAX_ON_WIRE               (MAX_CONNS_PER_HOST - 1)

typedef struct {
  double rate;           /* tokens per second */
  double burst;
  double tokens;
  gint64 updated_us;
} Bucket;

struct _KiwoomRest
{
  GObject       parent_instance;

  SoupSession  *session;
  char         *base_url;
  char         *appkey;
  char         *secretkey;
  GCancellable *cancellable;

  double        rate;
  guint         timeout_s;
  GHashTable   *buckets;         /* api-id → Bucket */
  Bucket        order_bucket;

  char         *token;
  gint64        token_refresh_us; /* monotonic time after which the token is refreshed */
  GPtrArray    *token_waiters;    /* GTask, while an issue request is out */

  guint         n_requests;
  guint         n_rate_limited;
  guint         n_token_issues;

  guint         n_on_wire;        /* TR requests handed to libsoup, reply not in */
  GQueue        parked;           /* GTask: paced, but no connection was free */
};

G_DEFINE_FINAL_TYPE (KiwoomRest, kiwoom_rest, G_TYPE_OBJECT)

typedef struct {
  char            *api_id;
  char            *path;
  char            *body;
  char            *list_key;
  guint            max_pages;
  KiwoomCallFlags  flags;

  JsonObject      *first_page;
  JsonArray       *merged;
  char            *next_key;
  guint            pages;
  guint            rate_limit_retries;
  gboolean         token_retried;
  gboolean         timed_out;
  GCancellable    *request_cancellable;
  guint            timeout_id;
  guint            delay_id;
} Call;

static void call_send (GTask *task);

/* ---------------------------------------------------------------------------------- */
/* Classification                                                                       */

static gboolean
is_token_code (gint64 code)
{
  return code == 8005 || code == 8031 || code == 8103;
}

static gboolean
is_invalid_code (gint64 code)
{
  return (code >= 1500 && code < 1600) || code == 1634 || code == 1687;
}

gint64
kiwoom_message_inner_code (const char *message)
{
  if (message == NULL)
    return -1;

  for (const char *p = strchr (message, '['); p != NULL; p = strchr (p + 1, '['))
    {
      const char *digits = p + 1;
      const char *end;
      gint64 code = 0;

      /* WebSocket form: "[CODE=8005, MESSAGE=…]"; REST form: "[8005:…]" or "[1634]". */
      if (g_str_has_prefix (digits, "CODE="))
        digits += strlen ("CODE=");

      for (end = digits; g_ascii_isdigit (*end) && end - digits < 6; end++)
        code = code * 10 + (*end - '0');

      if (end - digits >= 3 && end - digits <= 5
          && (*end == ':' || *end == ']' || *end == ','))
        return code;
    }
  return -1;
}

KiwoomReplyClass
kiwoom_classify_code (guint       http_status,
                      gint64      return_code,
                      const char *message)
{
  KiwoomReplyClass reply = { KIWOOM_REPLY_OK, return_code, -1 };
  gint64 codes[2];

  reply.inner_code = kiwoom_message_inner_code (message);
  codes[0] = return_code;
  codes[1] = reply.inner_code;

  /* The top-level code is often only a category (3, 5, 20) with the documented code in
   * brackets, and sometimes the documented code itself: look at both. */
  if (http_status == SOUP_STATUS_UNAUTHORIZED)
    reply.kind = KIWOOM_REPLY_TOKEN;
  else if (is_token_code (codes[0]) || is_token_code (codes[1]))
    reply.kind = KIWOOM_REPLY_TOKEN;
  else if (codes[0] == 1700 || codes[1] == 1700)
    reply.kind = KIWOOM_REPLY_RATE_LIMIT;
  else if (is_invalid_code (codes[0]) || is_invalid_code (codes[1]))
    reply.kind = KIWOOM_REPLY_INVALID;
  else if (codes[0] == 1901 || codes[0] == 1902 || codes[1] == 1901 || codes[1] == 1902)
    reply.kind = KIWOOM_REPLY_UNKNOWN_SYMBOL;
  else if ((codes[0] >= 8000 && codes[0] < 9000) || (codes[1] >= 8000 && codes[1] < 9000))
    reply.kind = KIWOOM_REPLY_AUTH;
  else if (http_status == HTTP_TOO_MANY_REQUESTS)
    reply.kind = KIWOOM_REPLY_RATE_LIMIT;
  else if (return_code < 0)
    reply.kind = KIWOOM_REPLY_MALFORMED;
  else if (return_code != 0)
    reply.kind = KIWOOM_REPLY_REJECTED;
  else if (!SOUP_STATUS_IS_SUCCESSFUL (http_status))
    reply.kind = KIWOOM_REPLY_MALFORMED;

  return reply;
}

gboolean
kiwoom_parse_int (const char *text,
                  gint64     *value)
{
  gboolean negative = FALSE;
  guint64 magnitude = 0;
  const char *p = text;

  g_return_val_if_fail (value != NULL, FALSE);

  *value = 0;
  if (text == NULL)
    return FALSE;

  while (*p == ' ')
    p++;
  if (*p == '+' || *p == '-')
    negative = *p++ == '-';
  if (*p == '\0')
    return p == text || text[0] == ' ';

  for (; *p != '\0'; p++)
    {
      guint digit = *p - '0';

      if (!g_ascii_isdigit (*p))
        return FALSE;
      /* Checked before it can wrap around: 20 digits overflow a guint64. */
      if (magnitude > ((guint64) G_MAXINT64 - digit) / 10)
        return FALSE;
      magnitude = magnitude * 10 + digit;
    }

  *value = negative ? -(gint64)magnitude : (gint64)magnitude;
  return TRUE;
}

static gint64
return_code_of (JsonObject *body)
{
  JsonNode *node = json_object_get_member (body, "return_code");
  g_autofree char *text = NULL;
  gint64 code;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return -1;

  /* A number in the specification, a string in some live replies. */
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return -1;

  text = g_strstrip (g_strdup (json_node_get_string (node)));
  if (text[0] != '\0' && kiwoom_parse_int (text, &code) && code >= 0)
    return code;
  return -1;
}

/* A string member, or NULL when absent or of another type (a hostile or broken server
 * must not be able to trip json-glib's type checks). */
static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static const char *
return_msg_of (JsonObject *body)
{
  return string_member (body, "return_msg");
}

KiwoomReplyClass
kiwoom_classify_reply (guint       http_status,
                       JsonObject *body)
{
  if (body == NULL)
    return kiwoom_classify_code (http_status, -1, NULL);
  return kiwoom_classify_code (http_status, return_code_of (body), return_msg_of (body));
}

/* ---------------------------------------------------------------------------------- */
/* Rate limiting                                                                        */

static void
bucket_init (Bucket *bucket,
             double  rate)
{
  bucket->rate = MAX (rate * RATE_SAFETY, 0.01);
  bucket->burst = MAX (1.0, floor (rate * RATE_SAFETY));
  /* Empty at first: the server's bucket for this key may have been emptied by a process
   * that just died (a crash and restart) or by another program, and a full start would
   * send a burst it refuses (1700; bench/crash-campaign.py saw 227 in 300 restarts). The
   * cost is one interval (about 0.2 s) before the first request of each api-id. */
  bucket->tokens = 0.0;
  bucket->updated_us = g_get_monotonic_time ();
}

/* Takes a slot and returns how long to wait for it. Slots are handed out in order, so
 * waiting requests keep their order and never overtake each other. */
static gint64
bucket_reserve (Bucket *bucket)
{
  gint64 now = g_get_monotonic_time ();

  bucket->tokens = MIN (bucket->burst,
                        bucket->tokens + (now - bucket->updated_us) * bucket->rate / G_USEC_PER_SEC);
  bucket->updated_us = now;
  bucket->tokens -= 1.0;

  if (bucket->tokens >= 0.0)
    return 0;
  return (gint64)(-bucket->tokens / bucket->rate * G_USEC_PER_SEC);
}

/* After a 1700 the server's bucket is empty whatever ours says. */
static void
bucket_drain (Bucket *bucket)
{
  bucket->tokens = MIN (bucket->tokens, 0.0);
}

static Bucket *
bucket_for (KiwoomRest *self,
            const char *api_id)
{
  Bucket *bucket = g_hash_table_lookup (self->buckets, api_id);

  if (bucket == NULL)
    {
      bucket = g_new0 (Bucket, 1);
      bucket_init (bucket, self->rate);
      g_hash_table_insert (self->buckets, g_strdup (api_id), bucket);
    }
  return bucket;
}

/* ---------------------------------------------------------------------------------- */
/* Helpers                                                                              */

static gboolean
is_json_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* json-glib 1.6 accepts a body with more values after the first ("{…}{…}", "2{…}") and
 * leaks them, a reply at a time: a body must be one object with nothing but whitespace
 * after it. Only where the object ends is found here; json-glib checks the rest. */
static gboolean
is_one_object (const char *data,
               gsize       size)
{
  gsize i = 0;
  gsize depth = 0;
  gboolean in_string = FALSE;

  while (i < size && is_json_space (data[i]))
    i++;
  if (i == size || data[i] != '{')
    return FALSE;

  for (; i < size; i++)
    {
      if (in_string)
        {
          if (data[i] == '\\')
            i++;
          else if (data[i] == '"')
            in_string = FALSE;
          continue;
        }
      if (data[i] == '"')
        in_string = TRUE;
      else if (data[i] == '{' || data[i] == '[')
        depth++;
      else if ((data[i] == '}' || data[i] == ']') && --depth == 0)
        break;
    }

  for (i++; i < size && is_json_space (data[i]); i++)
    ;
  return i >= size;
}

static JsonObject *
parse_object (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  JsonNode *root;

  if (data == NULL || size == 0 || !is_one_object (data, size)
      || !json_parser_load_from_data (parser, data, size, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

static char *
object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

static void
wipe_string (char **string)
{
  if (*string != NULL)
    {
      memset (*string, 0, strlen (*string));
      g_clear_pointer (string, g_free);
    }
}

static void
wipe_and_free (gpointer data)
{
  char *text = data;

  memset (text, 0, strlen (text));
  g_free (text);
}

static gint64
jitter_ms (guint base_ms)
{
  return g_random_int_range (0, MAX (base_ms, 1));
}

static GError *
reply_error (KiwoomReplyClass  reply,
             JsonObject       *body,
             KiwoomCallFlags   flags)
{
  const char *message = return_msg_of (body);
  g_autofree char *fallback = NULL;
  int code;

  if (message == NULL || message[0] == '\0')
    message = fallback = g_strdup_printf ("return_code %" G_GINT64_FORMAT, reply.return_code);

  switch (reply.kind)
    {
    case KIWOOM_REPLY_RATE_LIMIT:     code = HOGA_BROKER_ERROR_RATE_LIMITED; break;
    case KIWOOM_REPLY_INVALID:        code = HOGA_BROKER_ERROR_INVALID; break;
    case KIWOOM_REPLY_UNKNOWN_SYMBOL: code = HOGA_BROKER_ERROR_UNKNOWN_SYMBOL; break;
    case KIWOOM_REPLY_TOKEN:
    case KIWOOM_REPLY_AUTH:           code = HOGA_BROKER_ERROR_AUTH; break;
    case KIWOOM_REPLY_REJECTED:       code = HOGA_BROKER_ERROR_REJECTED; break;
    case KIWOOM_REPLY_MALFORMED:
    case KIWOOM_REPLY_OK:
    default:
      /* An order whose reply cannot be read may have executed. */
      code = (flags & KIWOOM_CALL_ORDER) ? HOGA_BROKER_ERROR_OUTCOME_UNKNOWN
                                         : HOGA_BROKER_ERROR_PROTOCOL;
      message = "the broker's reply could not be read";
      break;
    }
  return g_error_new_literal (HOGA_BROKER_ERROR, code, message);
}

/* ---------------------------------------------------------------------------------- */
/* Token                                                                                */

static gint64
refresh_time_for (const char *expires_dt)
{
  g_autoptr(GDateTime) expires = NULL;
  g_autoptr(GDateTime) now = NULL;
  GTimeSpan lifetime;
  int y, mo, d, h, mi, se;

  if (expires_dt == NULL || strlen (expires_dt) != 14)
    return -1;
  for (guint i = 0; i < 14; i++)
    {
      if (!g_ascii_isdigit (expires_dt[i]))
        return -1;
    }
  if (sscanf (expires_dt, "%4d%2d%2d%2d%2d%2d", &y, &mo, &d, &h, &mi, &se) != 6)
    return -1;

  /* expires_dt is a KST wall-clock time, whatever this machine's zone. */
  expires = g_date_time_new (hoga_krx_time_zone (), y, mo, d, h, mi, se);
  if (expires == NULL)
    return -1;
  now = hoga_krx_now ();
  lifetime = g_date_time_difference (expires, now);
  if (lifetime <= 0)
    return -1;

  /* Refresh 10 minutes early, or at half-life for short-lived tokens. */
  return g_get_monotonic_time () + lifetime - MIN (TOKEN_REFRESH_MARGIN_US, lifetime / 2);
}

static void
finish_token_waiters (KiwoomRest *self,
                      GError     *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->token_waiters);

  /* Already answered: dispose fails the waiters before the cancelled reply comes back. */
  if (waiters == NULL)
    return;
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_pointer (task, g_strdup (self->token), g_free);
    }
}

static void
token_reply_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(KiwoomRest) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) body = NULL;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  KiwoomReplyClass reply;
  const char *token;
  const char *token_type;
  gint64 refresh_at;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (bytes == NULL)
    {
      g_autoptr(GError) network = g_error_new (HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_NETWORK,
                                               "cannot reach the broker to log in: %s",
                                               error->message);
      finish_token_waiters (self, network);
      return;
    }

  body = parse_object (bytes);
  reply = kiwoom_classify_reply (soup_message_get_status (msg), body);
  if (reply.kind != KIWOOM_REPLY_OK)
    {
      g_autoptr(GError) refused = reply_error (reply, body, KIWOOM_CALL_NONE);

      /* A refused key pair is a credentials problem whatever category it came in. */
      if (reply.kind == KIWOOM_REPLY_TOKEN)
        refused->code = HOGA_BROKER_ERROR_AUTH;
      g_warning ("token request refused: %s", refused->message);
      finish_token_waiters (self, refused);
      return;
    }

  token = string_member (body, "token");
  token_type = string_member (body, "token_type");
  refresh_at = refresh_time_for (string_member (body, "expires_dt"));
  if (token == NULL || token[0] == '\0' || refresh_at < 0
      || (token_type != NULL && g_ascii_strcasecmp (token_type, "bearer") != 0))
    {
      g_autoptr(GError) malformed = g_error_new_literal (HOGA_BROKER_ERROR,
                                                         HOGA_BROKER_ERROR_PROTOCOL,
                                                         "the token reply has no usable token or expires_dt");
      finish_token_waiters (self, malformed);
      return;
    }

  wipe_string (&self->token);
  self->token = g_strdup (token);
  self->token_refresh_us = refresh_at;
  self->n_token_issues++;
  g_debug ("access token issued, valid until %s KST", string_member (body, "expires_dt"));
  finish_token_waiters (self, NULL);
}

static void
issue_token (KiwoomRest *self)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = g_strconcat (self->base_url, "/oauth2/token", NULL);
  char *text;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "grant_type");
  json_builder_add_string_value (builder, "client_credentials");
  json_builder_set_member_name (builder, "appkey");
  json_builder_add_string_value (builder, self->appkey);
  json_builder_set_member_name (builder, "secretkey");
  json_builder_add_string_value (builder, self->secretkey);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  /* The body holds the secret key: wiped, not just freed, when libsoup is done with it. */
  body = g_bytes_new_with_free_func (text, strlen (text), wipe_and_free, text);

  msg = soup_message_new (SOUP_METHOD_POST, url);
  if (msg == NULL)
    {
      g_autoptr(GError) error = g_error_new (HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_NETWORK,
                                             "the REST URL “%s” is not valid", self->base_url);
      finish_token_waiters (self, error);
      return;
    }
  soup_message_set_request_body_from_bytes (msg, CONTENT_TYPE, body);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, self->cancellable,
                                    token_reply_cb, g_object_ref (self));
}

void
kiwoom_rest_get_token_async (KiwoomRest          *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KIWOOM_IS_REST (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kiwoom_rest_get_token_async);

  if (self->token != NULL && g_get_monotonic_time () < self->token_refresh_us)
    {
      g_task_return_pointer (task, g_strdup (self->token), g_free);
      return;
    }

  /* One issue request at a time; everyone asking meanwhile gets its answer. */
  if (self->token_waiters != NULL)
    {
      g_ptr_array_add (self->token_waiters, g_steal_pointer (&task));
      return;
    }
  self->token_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->token_waiters, g_steal_pointer (&task));
  issue_token (self);
}

char *
kiwoom_rest_get_token_finish (KiwoomRest    *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
kiwoom_rest_invalidate_token (KiwoomRest *self)
{
  g_return_if_fail (KIWOOM_IS_REST (self));

  wipe_string (&self->token);
  self->token_refresh_us = 0;
}

/* ---------------------------------------------------------------------------------- */
/* TR calls                                                                             */

static void
call_free (Call *call)
{
  g_clear_handle_id (&call->timeout_id, g_source_remove);
  g_clear_handle_id (&call->delay_id, g_source_remove);
  g_clear_object (&call->request_cancellable);
  g_clear_pointer (&call->first_page, json_object_unref);
  g_clear_pointer (&call->merged, json_array_unref);
  g_free (call->api_id);
  g_free (call->path);
  g_free (call->body);
  g_free (call->list_key);
  g_free (call->next_key);
  g_free (call);
}

static gboolean
call_timeout_cb (gpointer user_data)
{
  Call *call = user_data;

  call->timeout_id = 0;
  call->timed_out = TRUE;
  g_cancellable_cancel (call->request_cancellable);
  return G_SOURCE_REMOVE;
}

static gboolean
call_delay_done_cb (gpointer user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);

  call->delay_id = 0;
  call_send (task);
  return G_SOURCE_REMOVE;
}

static void
call_send_after (GTask  *task,
                 gint64  delay_us)
{
  Call *call = g_task_get_task_data (task);

  if (delay_us <= 0)
    {
      call_send (task);
      return;
    }
  call->delay_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (delay_us + 999) / 1000,
                                       call_delay_done_cb, g_object_ref (task),
                                       g_object_unref);
}

static void
call_reserve_and_send (GTask *task)
{
  KiwoomRest *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  gint64 delay = bucket_reserve (bucket_for (self, call->api_id));

  if (call->flags & KIWOOM_CALL_ORDER)
    delay = MAX (delay, bucket_reserve (&self->order_bucket));
  call_send_after (task, delay);
}

static void
call_token_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = kiwoom_rest_get_token_finish (KIWOOM_REST (source), result, &error);
  if (token == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  call_reserve_and_send (task);
}

static void
call_start (GTask *task)
{
  KiwoomRest *self = g_task_get_source_object (task);

  kiwoom_rest_get_token_async (self, g_task_get_cancellable (task), call_token_cb,
                               g_object_ref (task));
}

static gboolean
page_continues (SoupMessage *msg,
                char       **next_key)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  const char *cont = soup_message_headers_get_one (headers, "cont-yn");
  const char *key = soup_message_headers_get_one (headers, "next-key");

  if (cont == NULL || g_ascii_strcasecmp (cont, "Y") != 0 || key == NULL || key[0] == '\0')
    return FALSE;
  *next_key = g_strdup (key);
  return TRUE;
}

static void
merge_page (Call       *call,
            JsonObject *page)
{
  JsonArray *rows;

  if (call->first_page == NULL)
    call->first_page = json_object_ref (page);
  if (call->list_key == NULL)
    return;

  if (call->merged == NULL)
    call->merged = json_array_new ();
  rows = json_object_has_member (page, call->list_key)
         && JSON_NODE_HOLDS_ARRAY (json_object_get_member (page, call->list_key))
         ? json_object_get_array_member (page, call->list_key) : NULL;
  for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
    json_array_add_element (call->merged, json_node_copy (json_array_get_element (rows, i)));
}

static void
call_return_pages (GTask *task)
{
  Call *call = g_task_get_task_data (task);
  JsonObject *result = json_object_ref (call->first_page);

  if (call->list_key != NULL)
    json_object_set_array_member (result, call->list_key, json_array_ref (call->merged));
  g_task_return_pointer (task, result, (GDestroyNotify)json_object_unref);
}

static GError *
transport_error (Call   *call,
                 GError *error)
{
  gboolean never_sent = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED)
                        || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE)
                        || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE)
                        || error->domain == G_RESOLVER_ERROR;
  const char *what = call->timed_out ? "no reply in time" : error->message;

  if (never_sent)
    return g_error_new (HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_NETWORK,
                        "cannot reach the broker (%s): %s", call->api_id, what);
  if (call->flags & KIWOOM_CALL_ORDER)
    return g_error_new (HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_OUTCOME_UNKNOWN,
                        "the order request (%s) may have reached the broker but its reply "
                        "was lost: %s", call->api_id, what);
  return g_error_new (HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_NETWORK,
                      "the broker did not answer %s: %s", call->api_id, what);
}

static void
call_reply_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KiwoomRest *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) body = NULL;
  KiwoomReplyClass reply;

  g_clear_handle_id (&call->timeout_id, g_source_remove);
  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  /* A connection is free: the first request waiting for one is paced again. */
  self->n_on_wire--;
  if (!g_queue_is_empty (&self->parked))
    {
      g_autoptr(GTask) parked = g_queue_pop_head (&self->parked);

      call_reserve_and_send (parked);
    }

  if (bytes == NULL)
    {
      if (g_task_return_error_if_cancelled (task))
        return;
      g_task_return_error (task, transport_error (call, error));
      return;
    }

  body = parse_object (bytes);
  reply = kiwoom_classify_reply (soup_message_get_status (msg), body);
  g_debug ("%s %s → HTTP %u, return_code %" G_GINT64_FORMAT ", inner %" G_GINT64_FORMAT,
           call->api_id, call->path, soup_message_get_status (msg), reply.return_code,
           reply.inner_code);

  switch (reply.kind)
    {
    case KIWOOM_REPLY_OK:
      merge_page (call, body);
      call->pages++;
      g_clear_pointer (&call->next_key, g_free);
      if (call->list_key != NULL && call->pages < call->max_pages
          && page_continues (msg, &call->next_key))
        {
          call_reserve_and_send (task);
          return;
        }
      call_return_pages (task);
      return;

    case KIWOOM_REPLY_TOKEN:
      /* Checked before anything executes, so even an order may be sent again — once. */
      if (!call->token_retried)
        {
          call->token_retried = TRUE;
          kiwoom_rest_invalidate_token (self);
          call_start (task);
          return;
        }
      break;

    case KIWOOM_REPLY_RATE_LIMIT:
      self->n_rate_limited++;
      bucket_drain (bucket_for (self, call->api_id));
      if (call->rate_limit_retries < MAX_RATE_LIMIT_RETRIES)
        {
          guint base = RETRY_BASE_MS << call->rate_limit_retries++;
          gint64 delay = (gint64) (base + jitter_ms (base)) * 1000;

          g_message ("%s was rate-limited (not executed); retrying in about %u ms",
                     call->api_id, base);
          /* Through the buckets as well: the retries of a refused burst must not leave
           * together again (found by bench/soak.py). */
          delay = MAX (delay, bucket_reserve (bucket_for (self, call->api_id)));
          if (call->flags & KIWOOM_CALL_ORDER)
            delay = MAX (delay, bucket_reserve (&self->order_bucket));
          call_send_after (task, delay);
          return;
        }
      break;

    case KIWOOM_REPLY_INVALID:
    case KIWOOM_REPLY_UNKNOWN_SYMBOL:
    case KIWOOM_REPLY_AUTH:
    case KIWOOM_REPLY_REJECTED:
    case KIWOOM_REPLY_MALFORMED:
    default:
      break;
    }

  g_task_return_error (task, reply_error (reply, body, call->flags));
}

static void
call_send (GTask *task)
{
  KiwoomRest *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autofree char *url = g_strconcat (self->base_url, call->path, NULL);
  g_autofree char *authorization = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMessageHeaders *headers;

  if (g_task_return_error_if_cancelled (task))
    return;

  /* The token may have been refused meanwhile (another request's 8005): get a fresh one. */
  if (self->token == NULL)
    {
      call_start (task);
      return;
    }

  /* libsoup queues a request that finds every connection busy and sends it when one is
   * free: requests the buckets paced while replies were slow would then leave together
   * once replies are quick again, and the burst would be refused (1700; found by
   * bench/soak.py). A request that finds no connection free waits here instead, and goes
   * through its buckets again when one is. */
  if (self->n_on_wire >= MAX_ON_WIRE)
    {
      g_queue_push_tail (&self->parked, g_object_ref (task));
      return;
    }

  msg = soup_message_new (SOUP_METHOD_POST, url);
  if (msg == NULL)
    {
      g_task_return_new_error (task, HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_NETWORK,
                               "the REST URL “%s” is not valid", url);
      return;
    }

  headers = soup_message_get_request_headers (msg);
  authorization = g_strconcat ("Bearer ", self->token, NULL);
  soup_message_headers_replace (headers, "api-id", call->api_id);
  soup_message_headers_replace (headers, "authorization", authorization);
  if (call->next_key != NULL)
    {
      soup_message_headers_replace (headers, "cont-yn", "Y");
      soup_message_headers_replace (headers, "next-key", call->next_key);
    }
  body = g_bytes_new (call->body, strlen (call->body));
  soup_message_set_request_body_from_bytes (msg, CONTENT_TYPE, body);

  g_clear_object (&call->request_cancellable);
  call->request_cancellable = g_cancellable_new ();
  if (g_task_get_cancellable (task) != NULL)
    g_cancellable_connect (g_task_get_cancellable (task), G_CALLBACK (g_cancellable_cancel),
                           g_object_ref (call->request_cancellable), g_object_unref);
  call->timed_out = FALSE;
  call->timeout_id = g_timeout_add_seconds (self->timeout_s, call_timeout_cb, call);

  self->n_requests++;
  self->n_on_wire++;
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT,
                                    call->request_cancellable, call_reply_cb,
                                    g_object_ref (task));
}

void
kiwoom_rest_call_async (KiwoomRest          *self,
                        const char          *api_id,
                        const char          *path,
                        JsonObject          *body,
                        const char          *list_key,
                        guint                max_pages,
                        KiwoomCallFlags      flags,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Call *call;

  g_return_if_fail (KIWOOM_IS_REST (self));
  g_return_if_fail (api_id != NULL && path != NULL && body != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kiwoom_rest_call_async);

  call = g_new0 (Call, 1);
  call->api_id = g_strdup (api_id);
  call->path = g_strdup (path);
  call->body = object_to_string (body);
  call->list_key = g_strdup (list_key);
  call->max_pages = max_pages ? max_pages : DEFAULT_MAX_PAGES;
  call->flags = flags;
  g_task_set_task_data (task, call, (GDestroyNotify)call_free);

  call_start (task);
}

JsonObject *
kiwoom_rest_call_finish (KiwoomRest    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------------------------- */
/* Object                                                                               */

static void
kiwoom_rest_dispose (GObject *object)
{
  KiwoomRest *self = (KiwoomRest *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->token_waiters != NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                     "the REST client was closed");
      finish_token_waiters (self, error);
    }
  g_clear_object (&self->session);

  G_OBJECT_CLASS (kiwoom_rest_parent_class)->dispose (object);
}

static void
kiwoom_rest_finalize (GObject *object)
{
  KiwoomRest *self = (KiwoomRest *)object;

  wipe_string (&self->appkey);
  wipe_string (&self->secretkey);
  wipe_string (&self->token);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->buckets, g_hash_table_unref);
  g_queue_clear_full (&self->parked, g_object_unref);
  g_free (self->base_url);

  G_OBJECT_CLASS (kiwoom_rest_parent_class)->finalize (object);
}

static void
kiwoom_rest_class_init (KiwoomRestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kiwoom_rest_dispose;
  object_class->finalize = kiwoom_rest_finalize;
}

static void
kiwoom_rest_init (KiwoomRest *self)
{
  self->cancellable = g_cancellable_new ();
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->timeout_s = 10;
  self->rate = 5.0;
  bucket_init (&self->order_bucket, self->rate);
  self->session = soup_session_new_with_options ("user-agent", PACKAGE_NAME "/" PACKAGE_VERSION,
                                                 "max-conns-per-host", MAX_CONNS_PER_HOST,
                                                 NULL);
}

KiwoomRest *
kiwoom_rest_new (const char *base_url,
                 const char *appkey,
                 const char *secretkey)
{
  KiwoomRest *self;

  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (appkey != NULL && secretkey != NULL, NULL);

  self = g_object_new (KIWOOM_TYPE_REST, NULL);
  self->base_url = g_strdup (base_url);
  /* "https://host/" and "https://host" name the same base. */
  while (g_str_has_suffix (self->base_url, "/"))
    self->base_url[strlen (self->base_url) - 1] = '\0';
  self->appkey = g_strdup (appkey);
  self->secretkey = g_strdup (secretkey);
  return self;
}

void
kiwoom_rest_set_rate_limit (KiwoomRest *self,
                            double      per_second)
{
  g_return_if_fail (KIWOOM_IS_REST (self));
  g_return_if_fail (per_second > 0.0);

  self->rate = per_second;
  g_hash_table_remove_all (self->buckets);
  bucket_init (&self->order_bucket, per_second);
}

void
kiwoom_rest_set_timeout (KiwoomRest *self,
                         guint       seconds)
{
  g_return_if_fail (KIWOOM_IS_REST (self));
  g_return_if_fail (seconds > 0);

  self->timeout_s = seconds;
}

guint
kiwoom_rest_get_n_requests (KiwoomRest *self)
{
  g_return_val_if_fail (KIWOOM_IS_REST (self), 0);
  return self->n_requests;
}

guint
kiwoom_rest_get_n_rate_limited (KiwoomRest *self)
{
  g_return_val_if_fail (KIWOOM_IS_REST (self), 0);
  return self->n_rate_limited;
}

guint
kiwoom_rest_get_n_token_issues (KiwoomRest *self)
{
  g_return_val_if_fail (KIWOOM_IS_REST (self), 0);
  return self->n_token_issues;
}

/* ---- private API (kiwoom-rest-private.h) --------------------------------------------- */

JsonObject *
kiwoom_rest_parse_reply_body (GBytes *bytes)
{
  g_return_val_if_fail (bytes != NULL, NULL);

  return parse_object (bytes);
}

GError *
kiwoom_rest_reply_error (KiwoomReplyClass  reply,
                         JsonObject       *body,
                         KiwoomCallFlags   flags)
{
  g_return_val_if_fail (reply.kind != KIWOOM_REPLY_OK, NULL);

  return reply_error (reply, body, flags);
}

gint64
kiwoom_rest_token_refresh_time (const char *expires_dt)
{
  return refresh_time_for (expires_dt);
}
