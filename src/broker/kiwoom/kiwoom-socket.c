/* kiwoom-socket.c — the Kiwoom WebSocket session: LOGIN, PING echo, REG/REMOVE groups,
 * condition searches (CNSR*), watchdog, reconnect and re-arm
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The socket owns what the client wants from the session (codes in REG groups, active
 * conditions and their members) rather than what the current connection has, so a new
 * connection can be brought back to the same state: LOGIN, every REG group, CNSRLST, one
 * CNSRREQ per active condition, and the difference between each new snapshot and the
 * members known before is reported as condition events.
 *
 * Kiwoom replies carry no request id: REG and REMOVE acks and CNSRLST replies are matched
 * to requests in send order, CNSRREQ and CNSRCLR replies by their (trimmed) seq.
 *
 * REAL frames, nearly all the traffic, never touch json-glib: kiwoom_real_scan() delivers
 * fixed structs that are emitted by pointer. It also tells PING frames apart, which are
 * echoed byte for byte.
 */
#define G_LOG_DOMAIN "hoga-kiwoom"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "kiwoom-real-scan.h"
#include "kiwoom-socket.h"
#include "kiwoom-socket-private.h"

/* libsoup's default of 128 KiB is below what a busy REAL frame or a large condition
 * snapshot can reach; above this the peer is broken and the connection is closed (1009). */
#define MAX_INCOMING_PAYLOAD   (16 * 1024 * 1024)
#define REQUEST_TIMEOUT_S      15
#define CONNECT_TIMEOUT_S      15
/* LOGINs left unanswered within login-timeout-ms before the socket waits the whole watchdog
 * for one (see request_timeout_ms()). */
#define QUICK_LOGIN_ATTEMPTS   10
#define MAX_GROUP_NUMBER       9999   /* grp_no is a string of at most 4 characters */
/* Market-wide types are registered with item [""] in a group of their own. */
#define SESSION_GROUP_NUMBER   MAX_GROUP_NUMBER
#define LATENCY_WEIGHT         4      /* new sample weighs 1/4 in the smoothed latency */

typedef enum {
  REQUEST_LOGIN,
  REQUEST_REG,
  REQUEST_REMOVE,
  REQUEST_LIST,
  REQUEST_CONDITION,
  REQUEST_CLEAR,
} RequestKind;

typedef struct {
  KiwoomSocket *self;
  RequestKind   kind;
  char         *seq;        /* CONDITION, CLEAR */
  guint         group;      /* REG, REMOVE */
  GTask        *task;       /* a caller waits for the reply */
  gboolean      rearm;      /* part of bringing a new connection back to the wanted state */
  guint         generation; /* the connection it belongs to */
  gint64        sent_us;
  guint         timeout_id;
} Request;

typedef struct {
  guint      number;        /* grp_no */
  GPtrArray *codes;         /* char*, in subscription order */
} Group;

typedef struct {
  char       *seq;
  GHashTable *members;      /* code → NULL */
  gboolean    active;       /* FALSE until the first snapshot arrives */
} Condition;

/* The connection a REAL frame came from, for its entries' callback. */
typedef struct {
  KiwoomSocket            *self;
  SoupWebsocketConnection *conn;
} Dispatch;

struct _KiwoomSocket
{
  GObject                  parent_instance;

  char                    *ws_url;
  KiwoomRest              *rest;
  char                   **types;
  guint                    watchdog_ms;
  guint                    login_timeout_ms;
  guint                    backoff_min_ms;
  guint                    backoff_max_ms;
  guint                    group_size;
  guint                    max_conditions;

  SoupSession             *session;
  GCancellable            *connect_cancellable; /* token and handshake of this attempt */
  SoupWebsocketConnection *conn;
  GPtrArray               *closing;             /* connections in their close handshake */

  HogaConnectionState      state;
  gint64                   latency_us;
  KiwoomSocketStats        stats;

  gboolean                 running;             /* start() until stop(), kick or auth failure */
  gboolean                 logged_in;
  gboolean                 list_done;           /* CNSRLST answered on this connection */
  gboolean                 was_online;          /* a LOGIN succeeded since start() */
  gboolean                 rearm_is_reconnect;
  guint                    rearm_pending;
  guint                    login_refusals;
  guint                    unanswered_logins;   /* in a row, since the last LOGIN ack */
  guint                    backoff_attempt;

  guint                    generation;          /* bumped whenever a connection is dropped */
  gint64                   last_frame_us;
  guint                    watchdog_id;
  guint                    reconnect_id;

  GQueue                   pending;             /* Request*, sent, in send order */
  GQueue                   waiting_for_list;    /* Request* (CONDITION) not sent yet */

  GPtrArray               *groups;              /* Group*, by number */
  GHashTable              *code_groups;         /* code → Group* */
  GHashTable              *conditions;          /* seq → Condition* */
};

G_DEFINE_FINAL_TYPE (KiwoomSocket, kiwoom_socket, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_WS_URL,
  PROP_REST,
  PROP_TYPES,
  PROP_STATE,
  PROP_LATENCY_US,
  PROP_WATCHDOG_MS,
  PROP_LOGIN_TIMEOUT_MS,
  PROP_BACKOFF_MIN_MS,
  PROP_BACKOFF_MAX_MS,
  PROP_GROUP_SIZE,
  PROP_MAX_CONDITIONS,
  N_PROPS
};

enum {
  TICK,
  DEPTH,
  CONDITION_EVENT,
  ORDER_EVENT,
  BALANCE_EVENT,
  SESSION_EVENT,
  REARMED,
  PROBLEM,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char * const default_types[] = { "0B", "0D", NULL };

static gboolean request_timeout_cb (gpointer                 user_data);
static gboolean watchdog_cb        (gpointer                 user_data);
static gboolean reconnect_cb       (gpointer                 user_data);
static void     closing_closed_cb  (SoupWebsocketConnection *conn,
                                    KiwoomSocket            *self);
static void     token_cb           (GObject                 *source,
                                    GAsyncResult            *result,
                                    gpointer                 user_data);

/* ---------------------------------------------------------------------------------- */
/* Helpers                                                                              */

/* Logs the first few of a kind of trouble, then every power of two, so a broken peer
 * cannot flood the log. */
static gboolean
worth_logging (guint64 count)
{
  return count <= 8 || (count & (count - 1)) == 0;
}

static void
secret_free (gpointer secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_free (secret);
}

static void
copy_text (char       *dest,
           gsize       size,
           const char *src)
{
  gsize n = strlen (src);

  /* Cut at a UTF-8 character boundary. */
  if (n >= size)
    {
      n = size - 1;
      while (n > 0 && ((guchar) src[n] & 0xC0) == 0x80)
        n--;
    }
  memcpy (dest, src, n);
  dest[n] = '\0';
}

static const char *
opt_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* return_code is a number in the spec and sometimes a string in the wild. */
static gboolean
get_return_code (JsonObject *object,
                 gint64     *code)
{
  JsonNode *node = json_object_get_member (object, "return_code");
  g_autofree char *text = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *code = json_node_get_int (node);
      return TRUE;
    case G_TYPE_STRING:
      text = g_strstrip (g_strdup (json_node_get_string (node)));
      return g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, code, NULL);
    default:
      return FALSE;
    }
}

/* The reply's return_code, or a failure with its return_msg. */
static gboolean
reply_ok (JsonObject  *object,
          const char **message)
{
  gint64 code;
  const char *msg = opt_string (object, "return_msg");

  *message = msg != NULL && *msg != '\0' ? msg : "no message";
  if (!get_return_code (object, &code))
    {
      *message = "no return_code in the reply";
      return FALSE;
    }
  return code == 0;
}

static char *
trimmed_seq (const char *seq)
{
  return g_strstrip (g_strdup (seq != NULL ? seq : ""));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static char **
sorted_keys (GHashTable *set)
{
  g_autofree gpointer *keys = g_hash_table_get_keys_as_array (set, NULL);
  char **result = g_strdupv ((char **) keys);

  qsort (result, g_strv_length (result), sizeof (char *), compare_strings);
  return result;
}

static void
group_free (Group *group)
{
  g_ptr_array_unref (group->codes);
  g_free (group);
}

static Condition *
condition_new (const char *seq)
{
  Condition *condition = g_new0 (Condition, 1);

  condition->seq = g_strdup (seq);
  condition->members = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return condition;
}

static void
condition_free (Condition *condition)
{
  g_hash_table_unref (condition->members);
  g_free (condition->seq);
  g_free (condition);
}

static void
set_state (KiwoomSocket        *self,
           HogaConnectionState  state)
{
  if (self->state == state)
    return;

  g_debug ("Connection state: %s", hoga_connection_state_to_string (state));
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
add_latency_sample (KiwoomSocket *self,
                    gint64        sample_us)
{
  if (self->latency_us < 0)
    self->latency_us = sample_us;
  else
    self->latency_us += (sample_us - self->latency_us) / LATENCY_WEIGHT;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LATENCY_US]);
}

static void report_problem (KiwoomSocket    *self,
                            HogaBrokerError  code,
                            const char      *format,
                            ...) G_GNUC_PRINTF (3, 4);

static void
report_problem (KiwoomSocket    *self,
                HogaBrokerError  code,
                const char      *format,
                ...)
{
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (HOGA_BROKER_ERROR, code, format, args);
  va_end (args);

  g_message ("%s", error->message);
  g_signal_emit (self, signals[PROBLEM], 0, error);
}

static void
note_unexpected (KiwoomSocket *self,
                 const char   *what,
                 const char   *trnm)
{
  self->stats.unexpected++;
  if (worth_logging (self->stats.unexpected))
    g_message ("Ignoring a %s frame: %s (%" G_GUINT64_FORMAT " so far)",
               trnm != NULL ? trnm : "(no trnm)", what, self->stats.unexpected);
}

/* ---------------------------------------------------------------------------------- */
/* Requests                                                                             */

static const char * const request_trnm[] = {
  [REQUEST_LOGIN] = "LOGIN",
  [REQUEST_REG] = "REG",
  [REQUEST_REMOVE] = "REMOVE",
  [REQUEST_LIST] = "CNSRLST",
  [REQUEST_CONDITION] = "CNSRREQ",
  [REQUEST_CLEAR] = "CNSRCLR",
};

static Request *
request_new (KiwoomSocket *self,
             RequestKind   kind,
             const char   *seq,
             GTask        *task,
             gboolean      rearm)
{
  Request *request = g_new0 (Request, 1);

  request->self = self;
  request->kind = kind;
  request->seq = g_strdup (seq);
  request->task = task != NULL ? g_object_ref (task) : NULL;
  request->rearm = rearm;
  request->generation = self->generation;
  if (rearm)
    self->rearm_pending++;
  return request;
}

static void
request_free (Request *request)
{
  g_clear_handle_id (&request->timeout_id, g_source_remove);
  g_clear_object (&request->task);
  g_free (request->seq);
  g_free (request);
}

/* Ends the re-arm when its last request is answered. */
static void
rearm_step_done (KiwoomSocket *self)
{
  g_assert (self->rearm_pending > 0);

  if (--self->rearm_pending > 0)
    return;

  /* Only a connection that got every subscription back proves the server works again. */
  self->backoff_attempt = 0;
  g_debug ("Every REG group and condition is armed");
  if (self->rearm_is_reconnect)
    g_signal_emit (self, signals[REARMED], 0);
}

/* Frees @request; the caller has taken it out of its queue and answered its task. */
static void
request_done (KiwoomSocket *self,
              Request      *request)
{
  /* A request of a connection dropped meanwhile (by a signal handler) counts no more. */
  gboolean step = request->rearm && request->generation == self->generation;

  request_free (request);
  if (step)
    rearm_step_done (self);
}

static void
request_fail (KiwoomSocket *self,
              Request      *request,
              GError       *error)
{
  if (request->task != NULL)
    g_task_return_error (request->task, g_error_copy (error));
  request_done (self, request);
}

/* A LOGIN that is never answered, even while PINGs keep coming, is a dead session too.
 * A server that took the connection and drops what it reads (a hung backend behind a
 * proxy; hoga-exchange's ws-silent) would otherwise hold the session down for a whole
 * watchdog after it is back (found by bench/soak.py): the first LOGINs get a short
 * answer time and are tried again at once. A server that is only slow to answer LOGIN
 * gets the whole watchdog after QUICK_LOGIN_ATTEMPTS of them, with the usual backoff. */
static gboolean
login_is_quick (KiwoomSocket *self)
{
  return self->unanswered_logins < QUICK_LOGIN_ATTEMPTS;
}

static guint
request_timeout_ms (KiwoomSocket *self,
                    RequestKind   kind)
{
  if (kind != REQUEST_LOGIN)
    return REQUEST_TIMEOUT_S * 1000;
  if (login_is_quick (self))
    return MIN (self->login_timeout_ms, self->watchdog_ms);
  return self->watchdog_ms;
}

/* A condition the server does not run (any more) is not kept as active: its members
 * would silently go stale. Losing one that was running is something the user must know. */
static void
forget_unarmed_condition (KiwoomSocket *self,
                          Request      *request,
                          const char   *reason)
{
  Condition *condition = g_hash_table_lookup (self->conditions, request->seq);

  g_assert (request->kind == REQUEST_CONDITION);

  if (condition == NULL)
    return;
  if (!request->rearm)
    {
      if (!condition->active)
        g_hash_table_remove (self->conditions, request->seq);
      return;
    }

  g_hash_table_remove (self->conditions, request->seq);
  report_problem (self, HOGA_BROKER_ERROR_REJECTED,
                  "Condition %s could not be restarted after the reconnect: %s",
                  request->seq, reason);
}

/* The CNSRREQs that needed the CNSRLST which failed. */
static void
fail_waiting_for_list (KiwoomSocket *self,
                       GError       *error)
{
  GQueue waiting = G_QUEUE_INIT;
  Request *request;

  /* Taken first: a callback may come back into the socket. */
  while ((request = g_queue_pop_head (&self->waiting_for_list)) != NULL)
    g_queue_push_tail (&waiting, request);
  while ((request = g_queue_pop_head (&waiting)) != NULL)
    {
      forget_unarmed_condition (self, request, error->message);
      request_fail (self, request, error);
    }
}

static void
send_frame (KiwoomSocket *self,
            JsonBuilder  *builder,
            gboolean      secret)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = json_to_string (root, FALSE);

  /* Closing already: what was not sent is sent again on the next connection. */
  if (soup_websocket_connection_get_state (self->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (self->conn, text);
  if (secret)
    memset (text, 0, strlen (text));
}

/* Sends the frame in @builder and waits for its reply. */
static void
send_request (KiwoomSocket *self,
              Request      *request,
              JsonBuilder  *builder)
{
  g_assert (self->conn != NULL);

  send_frame (self, builder, request->kind == REQUEST_LOGIN);
  request->sent_us = g_get_monotonic_time ();
  request->timeout_id = g_timeout_add (request_timeout_ms (self, request->kind),
                                       request_timeout_cb, request);
  g_queue_push_tail (&self->pending, request);
}

/* The pending request a reply of @kind answers: the one of @seq when the reply names a
 * pending one, else the oldest of its kind. NULL when none. */
static Request *
take_request (KiwoomSocket *self,
              RequestKind   kind,
              const char   *seq)
{
  GList *match = NULL;
  Request *request;

  for (GList *l = self->pending.head; l != NULL; l = l->next)
    {
      request = l->data;
      if (request->kind != kind)
        continue;
      if (seq == NULL || g_strcmp0 (request->seq, seq) == 0)
        {
          match = l;
          break;
        }
      if (match == NULL)
        match = l;
    }

  if (match == NULL)
    return NULL;

  request = match->data;
  g_queue_delete_link (&self->pending, match);
  g_clear_handle_id (&request->timeout_id, g_source_remove);
  add_latency_sample (self, g_get_monotonic_time () - request->sent_us);
  return request;
}

static gboolean
has_pending (KiwoomSocket *self,
             RequestKind   kind)
{
  for (GList *l = self->pending.head; l != NULL; l = l->next)
    if (((Request *) l->data)->kind == kind)
      return TRUE;
  return FALSE;
}

/* Fails every request of the connection that is gone. Conditions still waiting for their
 * first snapshot are forgotten: their callers learn it from the error. */
static void
fail_requests (KiwoomSocket *self)
{
  g_autoptr(GError) error = NULL;
  GQueue requests = G_QUEUE_INIT;
  Request *request;

  /* Take everything first: a callback may come back into the socket. */
  while ((request = g_queue_pop_head (&self->pending)) != NULL)
    g_queue_push_tail (&requests, request);
  while ((request = g_queue_pop_head (&self->waiting_for_list)) != NULL)
    g_queue_push_tail (&requests, request);

  /* Active conditions stay: the next connection re-arms them. */
  for (GList *l = requests.head; l != NULL; l = l->next)
    {
      request = l->data;
      if (request->kind == REQUEST_CONDITION && !request->rearm)
        forget_unarmed_condition (self, request, NULL);
    }

  self->generation++;
  self->rearm_pending = 0;
  error = g_error_new_literal (HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_NOT_CONNECTED,
                               "The connection to the broker was lost");
  while ((request = g_queue_pop_head (&requests)) != NULL)
    request_fail (self, request, error);
}

/* ---------------------------------------------------------------------------------- */
/* REG groups                                                                           */

static void
send_registration (KiwoomSocket       *self,
                   RequestKind         kind,
                   guint               number,
                   GPtrArray          *codes,
                   const char * const *types,
                   gboolean            rearm)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *grp_no = g_strdup_printf ("%u", number);
  Request *request;

  g_assert (kind == REQUEST_REG || kind == REQUEST_REMOVE);
  g_assert (codes->len > 0);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "trnm");
  json_builder_add_string_value (builder, request_trnm[kind]);
  json_builder_set_member_name (builder, "grp_no");
  json_builder_add_string_value (builder, grp_no);
  if (kind == REQUEST_REG)
    {
      /* "1" keeps what is registered; "0" would drop every other group first. */
      json_builder_set_member_name (builder, "refresh");
      json_builder_add_string_value (builder, "1");
    }
  json_builder_set_member_name (builder, "data");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "item");
  json_builder_begin_array (builder);
  for (guint i = 0; i < codes->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (codes, i));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_begin_array (builder);
  for (guint i = 0; types[i] != NULL; i++)
    json_builder_add_string_value (builder, types[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  request = request_new (self, kind, NULL, NULL, rearm);
  request->group = number;
  send_request (self, request, builder);

  if (kind == REQUEST_REG)
    self->stats.reg_sent++;
  else
    self->stats.remove_sent++;
}

/* The first group with room, or a new one with the lowest free number. */
static Group *
group_with_room (KiwoomSocket *self)
{
  Group *group;
  guint number = 1;
  guint index;

  for (index = 0; index < self->groups->len; index++)
    {
      group = g_ptr_array_index (self->groups, index);
      if (group->codes->len < self->group_size)
        return group;
    }

  for (index = 0; index < self->groups->len; index++)
    {
      group = g_ptr_array_index (self->groups, index);
      if (group->number != number)
        break;
      number++;
    }

  if (number >= SESSION_GROUP_NUMBER)
    return NULL;

  group = g_new0 (Group, 1);
  group->number = number;
  group->codes = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_insert (self->groups, index, group);
  return group;
}

/* 0s (장시작시간) is not per symbol: without this REG no session event ever arrives. */
static void
send_session_group (KiwoomSocket *self)
{
  static const char * const session_types[] = { "0s", NULL };
  g_autoptr(GPtrArray) no_item = g_ptr_array_new ();

  g_ptr_array_add (no_item, (gpointer)"");
  send_registration (self, REQUEST_REG, SESSION_GROUP_NUMBER, no_item, session_types, TRUE);
}

static void
send_every_group (KiwoomSocket *self)
{
  for (guint i = 0; i < self->groups->len; i++)
    {
      Group *group = g_ptr_array_index (self->groups, i);

      send_registration (self, REQUEST_REG, group->number, group->codes,
                         (const char * const *)self->types, TRUE);
    }
  send_session_group (self);
}

/* ---------------------------------------------------------------------------------- */
/* Conditions                                                                           */

static void
send_list (KiwoomSocket *self,
           GTask        *task,
           gboolean      rearm)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "trnm");
  json_builder_add_string_value (builder, "CNSRLST");
  json_builder_end_object (builder);

  send_request (self, request_new (self, REQUEST_LIST, NULL, task, rearm), builder);
}

/* CNSRREQ realtime needs a CNSRLST on the same connection first. */
static void
send_condition (KiwoomSocket *self,
                Request      *request)
{
  g_autoptr(JsonBuilder) builder = NULL;

  if (!self->list_done)
    {
      g_queue_push_tail (&self->waiting_for_list, request);
      if (!has_pending (self, REQUEST_LIST))
        send_list (self, NULL, request->rearm);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "trnm");
  json_builder_add_string_value (builder, "CNSRREQ");
  json_builder_set_member_name (builder, "seq");
  json_builder_add_string_value (builder, request->seq);
  json_builder_set_member_name (builder, "search_type");
  json_builder_add_string_value (builder, "1");
  json_builder_set_member_name (builder, "stex_tp");
  json_builder_add_string_value (builder, "K");
  json_builder_end_object (builder);

  send_request (self, request, builder);
}

static void
send_clear (KiwoomSocket *self,
            const char   *seq)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "trnm");
  json_builder_add_string_value (builder, "CNSRCLR");
  json_builder_set_member_name (builder, "seq");
  json_builder_add_string_value (builder, seq);
  json_builder_end_object (builder);

  send_request (self, request_new (self, REQUEST_CLEAR, seq, NULL, FALSE), builder);
}

static void
emit_condition_event (KiwoomSocket *self,
                      const char   *seq,
                      const char   *code,
                      gboolean      inserted,
                      gint64        received_us)
{
  HogaConditionEvent event = { 0 };

  copy_text (event.seq, sizeof event.seq, seq);
  copy_text (event.code, sizeof event.code, code);
  event.inserted = inserted;
  event.from_snapshot = TRUE;
  event.received_us = received_us;
  g_signal_emit (self, signals[CONDITION_EVENT], 0, &event);
}

/* Replaces the known members of @seq by @snapshot and reports the differences. */
static void
apply_snapshot (KiwoomSocket *self,
                const char   *seq,
                GHashTable   *snapshot)
{
  Condition *condition = g_hash_table_lookup (self->conditions, seq);
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *seq_copy = g_strdup (seq);
  GHashTableIter iter;
  gpointer code;
  gint64 now = g_get_monotonic_time ();

  g_hash_table_iter_init (&iter, condition->members);
  while (g_hash_table_iter_next (&iter, &code, NULL))
    if (!g_hash_table_contains (snapshot, code))
      g_ptr_array_add (gone, g_strdup (code));
  g_hash_table_iter_init (&iter, snapshot);
  while (g_hash_table_iter_next (&iter, &code, NULL))
    if (!g_hash_table_contains (condition->members, code))
      g_ptr_array_add (added, g_strdup (code));

  g_hash_table_unref (condition->members);
  condition->members = g_hash_table_ref (snapshot);

  g_ptr_array_sort (gone, compare_strings);
  g_ptr_array_sort (added, compare_strings);
  if (gone->len > 0 || added->len > 0)
    g_message ("Condition %s re-armed: %u member(s) left and %u entered while the "
               "connection was down", seq_copy, gone->len, added->len);

  /* Handlers may stop the condition or the socket: only local copies are used here. */
  for (guint i = 0; i < gone->len; i++)
    emit_condition_event (self, seq_copy, g_ptr_array_index (gone, i), FALSE, now);
  for (guint i = 0; i < added->len; i++)
    emit_condition_event (self, seq_copy, g_ptr_array_index (added, i), TRUE, now);
}

/* The snapshot's codes, normalised and deduplicated, in the server's order. */
static GPtrArray *
parse_snapshot (JsonObject *object)
{
  GPtrArray *codes = g_ptr_array_new_with_free_func (g_free);
  JsonNode *data = json_object_get_member (object, "data");
  JsonArray *rows;

  /* No match is "data": null. */
  if (data == NULL || JSON_NODE_HOLDS_NULL (data) || !JSON_NODE_HOLDS_ARRAY (data))
    return codes;

  rows = json_node_get_array (data);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *row = json_array_get_element (rows, i);
      const char *raw = NULL;
      char code[HOGA_CODE_SIZE];

      if (JSON_NODE_HOLDS_OBJECT (row))
        {
          raw = opt_string (json_node_get_object (row), "jmcode");
          if (raw == NULL)
            raw = opt_string (json_node_get_object (row), "9001");
        }
      if (raw == NULL || !hoga_code_normalize (raw, -1, code))
        {
          g_message ("Skipping a condition snapshot row without a usable code");
          continue;
        }
      if (!g_ptr_array_find_with_equal_func (codes, code, g_str_equal, NULL))
        g_ptr_array_add (codes, g_strdup (code));
    }
  return codes;
}

static GPtrArray *
parse_condition_list (JsonObject *object)
{
  GPtrArray *infos = g_ptr_array_new_with_free_func (g_free);
  JsonNode *data = json_object_get_member (object, "data");
  JsonArray *rows;

  if (data == NULL || !JSON_NODE_HOLDS_ARRAY (data))
    return infos;

  rows = json_node_get_array (data);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *row = json_array_get_element (rows, i);
      const char *seq = NULL;
      const char *name = NULL;
      HogaConditionInfo *info;

      /* Rows are [seq, name]; some clients also accept {"seq", "name"} objects. */
      if (JSON_NODE_HOLDS_ARRAY (row) && json_array_get_length (json_node_get_array (row)) >= 2)
        {
          JsonArray *pair = json_node_get_array (row);
          JsonNode *first = json_array_get_element (pair, 0);
          JsonNode *second = json_array_get_element (pair, 1);

          if (JSON_NODE_HOLDS_VALUE (first) && json_node_get_value_type (first) == G_TYPE_STRING)
            seq = json_node_get_string (first);
          if (JSON_NODE_HOLDS_VALUE (second) && json_node_get_value_type (second) == G_TYPE_STRING)
            name = json_node_get_string (second);
        }
      else if (JSON_NODE_HOLDS_OBJECT (row))
        {
          seq = opt_string (json_node_get_object (row), "seq");
          name = opt_string (json_node_get_object (row), "name");
        }

      if (seq == NULL || name == NULL)
        {
          g_message ("Skipping a malformed CNSRLST row");
          continue;
        }

      info = g_new0 (HogaConditionInfo, 1);
      {
        g_autofree char *trimmed = trimmed_seq (seq);

        copy_text (info->seq, sizeof info->seq, trimmed);
      }
      copy_text (info->name, sizeof info->name, name);
      g_ptr_array_add (infos, info);
    }
  return infos;
}

/* ---------------------------------------------------------------------------------- */
/* Connection life cycle                                                                */

/* Forgets the current connection (closing it with @close_code when it is open) and
 * everything that belonged to it. */
static void
drop_connection (KiwoomSocket *self,
                 gushort       close_code)
{
  SoupWebsocketConnection *conn;

  g_clear_handle_id (&self->watchdog_id, g_source_remove);
  if (self->connect_cancellable != NULL)
    {
      g_cancellable_cancel (self->connect_cancellable);
      g_clear_object (&self->connect_cancellable);
    }

  conn = g_steal_pointer (&self->conn);
  if (conn != NULL)
    {
      g_signal_handlers_disconnect_by_data (conn, self);
      if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
        {
          /* Kept until the close handshake ends (libsoup gives up on a silent peer). */
          soup_websocket_connection_close (conn, close_code, NULL);
          g_signal_connect (conn, "closed", G_CALLBACK (closing_closed_cb), self);
          g_ptr_array_add (self->closing, conn);
        }
      else
        g_object_unref (conn);
    }

  self->logged_in = FALSE;
  self->list_done = FALSE;
  fail_requests (self);
}

static void
go_offline (KiwoomSocket *self,
            gushort       close_code)
{
  self->running = FALSE;
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  drop_connection (self, close_code);
  /* The callback of a failed request may have started the socket again. */
  if (!self->running)
    set_state (self, HOGA_CONNECTION_OFFLINE);
}

static guint
backoff_delay_ms (KiwoomSocket *self)
{
  guint64 delay = self->backoff_min_ms;

  for (guint i = 0; i < self->backoff_attempt && delay < self->backoff_max_ms; i++)
    delay *= 2;
  delay = MIN (delay, self->backoff_max_ms);

  /* Jitter over the upper half, so clients cut off together do not return together. */
  return (guint) (delay / 2 + g_random_int_range (0, (gint32) (delay / 2) + 1));
}

static void
schedule_reconnect (KiwoomSocket *self)
{
  guint delay;

  /* Stopped, or started afresh, by a callback of a failed request. */
  if (!self->running || self->connect_cancellable != NULL || self->conn != NULL)
    return;

  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  set_state (self, HOGA_CONNECTION_RECONNECTING);
  delay = backoff_delay_ms (self);
  self->backoff_attempt = MIN (self->backoff_attempt + 1, 31);
  g_debug ("Reconnecting in %u ms", delay);
  self->reconnect_id = g_timeout_add (delay, reconnect_cb, self);
}

static void
drop_and_reconnect (KiwoomSocket *self,
                    gushort       close_code)
{
  drop_connection (self, close_code);
  schedule_reconnect (self);
}

static void
begin_attempt (KiwoomSocket *self)
{
  g_assert (self->conn == NULL);
  g_assert (self->connect_cancellable == NULL);

  self->connect_cancellable = g_cancellable_new ();
  kiwoom_rest_get_token_async (self->rest, self->connect_cancellable, token_cb, self);
}

static void
on_logged_in (KiwoomSocket *self)
{
  GHashTableIter iter;
  Condition *condition;
  gboolean any_condition = FALSE;

  self->logged_in = TRUE;
  self->login_refusals = 0;
  self->unanswered_logins = 0;
  self->stats.logins++;
  self->rearm_is_reconnect = self->was_online;
  self->was_online = TRUE;
  g_debug ("Logged in%s", self->rearm_is_reconnect ? " again" : "");

  set_state (self, HOGA_CONNECTION_ONLINE);
  /* A handler of the state change may have stopped the socket. */
  if (!self->logged_in)
    return;

  /* A guard step keeps the re-arm from ending before every request is out. */
  self->rearm_pending = 1;

  send_every_group (self);

  g_hash_table_iter_init (&iter, self->conditions);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &condition))
    {
      g_assert (condition->active);
      if (!any_condition)
        send_list (self, NULL, TRUE);
      any_condition = TRUE;
      send_condition (self, request_new (self, REQUEST_CONDITION, condition->seq, NULL, TRUE));
    }

  rearm_step_done (self);
}

static void
handle_login_reply (KiwoomSocket *self,
                    JsonObject   *object)
{
  Request *request = take_request (self, REQUEST_LOGIN, NULL);
  const char *message;

  if (request == NULL)
    {
      note_unexpected (self, "no LOGIN is pending", "LOGIN");
      return;
    }
  request_done (self, request);

  if (reply_ok (object, &message))
    {
      on_logged_in (self);
      return;
    }

  self->stats.login_failures++;
  self->login_refusals++;
  self->unanswered_logins = 0;
  drop_connection (self, SOUP_WEBSOCKET_CLOSE_NORMAL);

  if (self->login_refusals == 1)
    {
      /* The token may have been revoked or replaced since it was issued: one fresh try. */
      g_message ("LOGIN refused (%s); retrying with a fresh token", message);
      kiwoom_rest_invalidate_token (self->rest);
      if (self->running && self->connect_cancellable == NULL)
        begin_attempt (self);
      return;
    }

  self->login_refusals = 0;
  go_offline (self, SOUP_WEBSOCKET_CLOSE_NORMAL);
  report_problem (self, HOGA_BROKER_ERROR_AUTH,
                  "The broker refused the access token at WebSocket LOGIN: %s", message);
}

static void
handle_system (KiwoomSocket *self,
               JsonObject   *object)
{
  const char *code = opt_string (object, "code");
  const char *message = opt_string (object, "message");
  g_autofree char *text = g_strdup (message != NULL ? message : opt_string (object, "return_msg"));

  if (text == NULL)
    text = g_strdup ("no message");

  if (g_strcmp0 (code, "R10001") == 0)
    {
      /* Another session logged in with the same app key. Logging in again would kick
       * that one in turn: leave it to the user. */
      go_offline (self, SOUP_WEBSOCKET_CLOSE_NORMAL);
      report_problem (self, HOGA_BROKER_ERROR_KICKED,
                      "Another session logged in with the same app key (R10001): %s", text);
    }
  else if (g_strcmp0 (code, "R10002") == 0 || g_strcmp0 (code, "R10004") == 0)
    {
      drop_and_reconnect (self, SOUP_WEBSOCKET_CLOSE_NORMAL);
      report_problem (self, HOGA_BROKER_ERROR_NETWORK,
                      "The broker closed the session (%s): %s; reconnecting", code, text);
    }
  else
    g_message ("SYSTEM %s from the broker: %s", code != NULL ? code : "(no code)", text);
}

static void
handle_registration_reply (KiwoomSocket *self,
                           JsonObject   *object,
                           RequestKind   kind)
{
  Request *request = take_request (self, kind, NULL);
  const char *message;
  guint group;

  if (request == NULL)
    {
      note_unexpected (self, "no such request is pending", request_trnm[kind]);
      return;
    }

  group = request->group;
  if (reply_ok (object, &message))
    {
      if (kind == REQUEST_REG)
        self->stats.reg_acked++;
      request_done (self, request);
      return;
    }

  if (kind == REQUEST_REG)
    self->stats.reg_failed++;
  /* The problem goes out first: the end of a re-arm must not look like success. */
  report_problem (self, HOGA_BROKER_ERROR_REJECTED, "%s of group %u refused: %s",
                  request_trnm[kind], group, message);
  request_done (self, request);
}

static void
handle_list_reply (KiwoomSocket *self,
                   JsonObject   *object)
{
  Request *request = take_request (self, REQUEST_LIST, NULL);
  g_autoptr(GPtrArray) infos = NULL;
  const char *message;
  Request *waiting;

  if (request == NULL)
    {
      note_unexpected (self, "no CNSRLST is pending", "CNSRLST");
      return;
    }

  if (!reply_ok (object, &message))
    {
      g_autoptr(GError) error = g_error_new (HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_REJECTED,
                                             "CNSRLST refused: %s", message);

      g_message ("%s", error->message);
      fail_waiting_for_list (self, error);
      request_fail (self, request, error);
      return;
    }

  self->list_done = TRUE;
  infos = parse_condition_list (object);

  while ((waiting = g_queue_pop_head (&self->waiting_for_list)) != NULL)
    send_condition (self, waiting);

  if (request->task != NULL)
    g_task_return_pointer (request->task, g_steal_pointer (&infos),
                           (GDestroyNotify) g_ptr_array_unref);
  request_done (self, request);
}

static void
handle_condition_reply (KiwoomSocket *self,
                        JsonObject   *object)
{
  g_autofree char *seq = trimmed_seq (opt_string (object, "seq"));
  Request *request = take_request (self, REQUEST_CONDITION, *seq != '\0' ? seq : NULL);
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GHashTable) snapshot = NULL;
  Condition *condition;
  const char *message;

  if (request == NULL)
    {
      note_unexpected (self, "no CNSRREQ is pending", "CNSRREQ");
      return;
    }

  condition = g_hash_table_lookup (self->conditions, request->seq);

  if (!reply_ok (object, &message))
    {
      g_autoptr(GError) error = g_error_new (HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_REJECTED,
                                             "Condition %s could not be started: %s",
                                             request->seq, message);

      if (!request->rearm)
        g_message ("%s", error->message);
      forget_unarmed_condition (self, request, message);
      request_fail (self, request, error);
      return;
    }

  codes = parse_snapshot (object);

  if (condition == NULL)
    {
      /* Stopped while the request was out; the CNSRCLR sent then follows this on the
       * wire, so the server does not keep it running. */
      if (request->task != NULL)
        g_task_return_new_error (request->task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 "Condition %s was stopped before it started", request->seq);
      request_done (self, request);
      return;
    }

  snapshot = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < codes->len; i++)
    g_hash_table_add (snapshot, g_strdup (g_ptr_array_index (codes, i)));

  if (condition->active)
    apply_snapshot (self, request->seq, snapshot);
  else
    {
      g_hash_table_unref (condition->members);
      condition->members = g_hash_table_ref (snapshot);
      condition->active = TRUE;
    }

  if (request->task != NULL)
    {
      g_ptr_array_add (codes, NULL);
      g_task_return_pointer (request->task, g_ptr_array_steal (codes, NULL),
                             (GDestroyNotify) g_strfreev);
    }
  request_done (self, request);
}

static void
handle_clear_reply (KiwoomSocket *self,
                    JsonObject   *object)
{
  g_autofree char *seq = trimmed_seq (opt_string (object, "seq"));
  Request *request = take_request (self, REQUEST_CLEAR, *seq != '\0' ? seq : NULL);
  const char *message;

  if (request == NULL)
    {
      note_unexpected (self, "no CNSRCLR is pending", "CNSRCLR");
      return;
    }
  if (!reply_ok (object, &message))
    g_message ("CNSRCLR of condition %s refused: %s", request->seq, message);
  request_done (self, request);
}

static void
handle_control_frame (KiwoomSocket *self,
                      const char   *data,
                      gsize         size)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  JsonObject *object;
  const char *trnm;

  if (!json_parser_load_from_data (parser, data, (gssize) size, &error)
      || (root = json_parser_get_root (parser)) == NULL
      || !JSON_NODE_HOLDS_OBJECT (root))
    {
      note_unexpected (self, error != NULL ? error->message : "not an object", NULL);
      return;
    }

  object = json_node_get_object (root);
  trnm = opt_string (object, "trnm");

  if (g_strcmp0 (trnm, "LOGIN") == 0)
    handle_login_reply (self, object);
  else if (g_strcmp0 (trnm, "SYSTEM") == 0)
    handle_system (self, object);
  else if (g_strcmp0 (trnm, "REG") == 0)
    handle_registration_reply (self, object, REQUEST_REG);
  else if (g_strcmp0 (trnm, "REMOVE") == 0)
    handle_registration_reply (self, object, REQUEST_REMOVE);
  else if (g_strcmp0 (trnm, "CNSRLST") == 0)
    handle_list_reply (self, object);
  else if (g_strcmp0 (trnm, "CNSRREQ") == 0)
    handle_condition_reply (self, object);
  else if (g_strcmp0 (trnm, "CNSRCLR") == 0)
    handle_clear_reply (self, object);
  else
    note_unexpected (self, "unknown trnm", trnm);
}

static void
note_malformed (KiwoomSocket *self,
                const char   *what,
                gsize         size)
{
  self->stats.malformed++;
  if (worth_logging (self->stats.malformed))
    g_message ("Ignoring a malformed frame of %" G_GSIZE_FORMAT " bytes: %s "
               "(%" G_GUINT64_FORMAT " so far)", size, what, self->stats.malformed);
}

/* Echoed byte for byte, as the broker's own client does. */
static void
echo_ping (KiwoomSocket            *self,
           SoupWebsocketConnection *conn,
           GBytes                  *message)
{
  if (soup_websocket_connection_get_state (conn) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  soup_websocket_connection_send_message (conn, SOUP_WEBSOCKET_DATA_TEXT, message);
  self->stats.pings++;
}

static void
set_uint (KiwoomSocket *self,
          guint        *field,
          const GValue *value,
          guint         prop_id)
{
  guint v = g_value_get_uint (value);

  if (*field == v)
    return;
  *field = v;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* ---------------------------------------------------------------------------------- */
/* Callbacks                                                                            */

static gboolean
request_timeout_cb (gpointer user_data)
{
  Request *request = user_data;
  KiwoomSocket *self = request->self;
  G_GNUC_UNUSED g_autoptr(KiwoomSocket) guard = g_object_ref (self);
  g_autoptr(GError) error = NULL;

  request->timeout_id = 0;
  g_queue_remove (&self->pending, request);

  error = g_error_new (HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_OUTCOME_UNKNOWN,
                       "No reply to %s within %u ms", request_trnm[request->kind],
                       request_timeout_ms (self, request->kind));
  g_message ("%s", error->message);

  switch (request->kind)
    {
    case REQUEST_LOGIN:
      request_free (request);
      self->stats.login_timeouts++;
      /* The connection was taken, so the host is there: no backoff to grow yet. */
      if (login_is_quick (self))
        self->backoff_attempt = 0;
      self->unanswered_logins++;
      drop_and_reconnect (self, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
      return G_SOURCE_REMOVE;

    case REQUEST_REG:
      self->stats.reg_failed++;
      report_problem (self, HOGA_BROKER_ERROR_OUTCOME_UNKNOWN,
                      "No reply to REG of group %u: its codes may deliver nothing",
                      request->group);
      break;

    case REQUEST_LIST:
      fail_waiting_for_list (self, error);
      break;

    case REQUEST_CONDITION:
      forget_unarmed_condition (self, request, error->message);
      break;

    case REQUEST_REMOVE:
    case REQUEST_CLEAR:
    default:
      break;
    }
  request_fail (self, request, error);

  return G_SOURCE_REMOVE;
}

static void
closing_closed_cb (SoupWebsocketConnection *conn,
                   KiwoomSocket            *self)
{
  g_signal_handlers_disconnect_by_data (conn, self);
  g_ptr_array_remove_fast (self->closing, conn);
}

static gboolean
reconnect_cb (gpointer user_data)
{
  KiwoomSocket *self = user_data;

  self->reconnect_id = 0;
  begin_attempt (self);
  return G_SOURCE_REMOVE;
}

static gboolean
watchdog_cb (gpointer user_data)
{
  KiwoomSocket *self = user_data;
  gint64 limit_us = (gint64) self->watchdog_ms * 1000;
  gint64 idle_us = g_get_monotonic_time () - self->last_frame_us;

  self->watchdog_id = 0;

  /* Frames reset nothing on arrival (that would cost on every tick): the timer wakes up
   * when the limit could first be reached and checks. */
  if (idle_us < limit_us)
    {
      self->watchdog_id = g_timeout_add ((guint) ((limit_us - idle_us) / 1000) + 1,
                                         watchdog_cb, self);
      return G_SOURCE_REMOVE;
    }

  self->stats.watchdog_timeouts++;
  g_message ("No frame from the server for %u ms: the connection is dead, reconnecting",
             self->watchdog_ms);
  drop_and_reconnect (self, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  return G_SOURCE_REMOVE;
}

static void
real_entry_cb (const KiwoomRealEntry *entry,
               gpointer               user_data)
{
  const Dispatch *dispatch = user_data;
  KiwoomSocket *self = dispatch->self;

  /* A handler may have stopped the socket halfway through the frame. */
  if (self->conn != dispatch->conn)
    return;

  switch (entry->kind)
    {
    case KIWOOM_REAL_KIND_TICK:
      g_signal_emit (self, signals[TICK], 0, &entry->tick);
      break;

    case KIWOOM_REAL_KIND_DEPTH:
      g_signal_emit (self, signals[DEPTH], 0, &entry->depth);
      break;

    case KIWOOM_REAL_KIND_CONDITION:
      {
        const HogaConditionEvent *event = &entry->condition;
        char seq[HOGA_SEQ_SIZE];
        Condition *condition;

        copy_text (seq, sizeof seq, event->seq);
        g_strstrip (seq);
        condition = g_hash_table_lookup (self->conditions, seq);
        if (condition == NULL)
          {
            /* A condition stopped a moment ago; the engine must not act on it. */
            g_debug ("Dropping an event of condition %s, which is not running", seq);
            return;
          }
        if (event->inserted)
          g_hash_table_add (condition->members, g_strdup (event->code));
        else
          g_hash_table_remove (condition->members, event->code);
        g_signal_emit (self, signals[CONDITION_EVENT], 0, event);
      }
      break;

    case KIWOOM_REAL_KIND_ORDER:
      g_signal_emit (self, signals[ORDER_EVENT], 0, &entry->order);
      break;

    case KIWOOM_REAL_KIND_BALANCE:
      g_signal_emit (self, signals[BALANCE_EVENT], 0, &entry->balance);
      break;

    case KIWOOM_REAL_KIND_SESSION:
      g_signal_emit (self, signals[SESSION_EVENT], 0, &entry->session);
      break;

    case KIWOOM_REAL_KIND_OTHER:
    default:
      self->stats.unknown++;
      if (worth_logging (self->stats.unknown))
        g_message ("Ignoring a REAL entry of unknown type \"%s\" (%" G_GUINT64_FORMAT " so far)",
                   entry->type, self->stats.unknown);
      return;
    }

  self->stats.entries++;
}

static void
message_cb (SoupWebsocketConnection *conn,
            gint                     type,
            GBytes                  *message,
            KiwoomSocket            *self)
{
  G_GNUC_UNUSED g_autoptr(KiwoomSocket) guard = g_object_ref (self);
  gint64 now = g_get_monotonic_time ();
  Dispatch dispatch = { self, conn };
  KiwoomRealScanResult result;
  KiwoomRealScanStatus status;
  const char *data;
  gsize size;

  self->last_frame_us = now;
  self->stats.frames++;
  data = g_bytes_get_data (message, &size);

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      note_malformed (self, "a binary frame", size);
      return;
    }

  status = kiwoom_real_scan (data != NULL ? data : "", size, now, real_entry_cb, &dispatch,
                             &result);
  switch (status)
    {
    case KIWOOM_REAL_SCAN_REAL:
      if (result.rejected > 0)
        {
          self->stats.rejected += result.rejected;
          if (worth_logging (self->stats.rejected))
            g_message ("Ignoring %u malformed REAL entr%s (%" G_GUINT64_FORMAT " so far)",
                       result.rejected, result.rejected == 1 ? "y" : "ies",
                       self->stats.rejected);
        }
      break;

    case KIWOOM_REAL_SCAN_NOT_REAL:
      if (strcmp (result.trnm, "PING") == 0)
        echo_ping (self, conn, message);
      else
        handle_control_frame (self, data, size);
      break;

    case KIWOOM_REAL_SCAN_MALFORMED:
    default:
      /* The broker's own client also answers a bare PING text. */
      if (size == 4 && memcmp (data, "PING", 4) == 0)
        echo_ping (self, conn, message);
      else
        note_malformed (self, result.error_reason != NULL ? result.error_reason : "not JSON",
                        size);
      break;
    }
}

static void
error_cb (SoupWebsocketConnection *conn,
          GError                  *error,
          KiwoomSocket            *self)
{
  g_message ("WebSocket error: %s", error->message);
}

static void
closed_cb (SoupWebsocketConnection *conn,
           KiwoomSocket            *self)
{
  G_GNUC_UNUSED g_autoptr(KiwoomSocket) guard = g_object_ref (self);

  g_message ("The WebSocket closed (code %u%s%s); reconnecting",
             soup_websocket_connection_get_close_code (conn),
             soup_websocket_connection_get_close_data (conn) != NULL ? ", " : "",
             soup_websocket_connection_get_close_data (conn) != NULL
               ? soup_websocket_connection_get_close_data (conn) : "");
  drop_and_reconnect (self, SOUP_WEBSOCKET_CLOSE_NORMAL);
}

/* Takes @conn, a new open connection, and @token; sends LOGIN. */
static void
use_connection (KiwoomSocket            *self,
                SoupWebsocketConnection *conn,
                char                    *token)
{
  g_autoptr(JsonBuilder) builder = NULL;

  g_assert (self->conn == NULL);
  g_assert (self->connect_cancellable == NULL);

  self->conn = conn;
  self->stats.connects++;
  soup_websocket_connection_set_max_incoming_payload_size (conn, MAX_INCOMING_PAYLOAD);
  /* The broker runs its own PING; the official client turns protocol pings off too. */
  soup_websocket_connection_set_keepalive_interval (conn, 0);
  g_signal_connect (conn, "message", G_CALLBACK (message_cb), self);
  g_signal_connect (conn, "error", G_CALLBACK (error_cb), self);
  g_signal_connect (conn, "closed", G_CALLBACK (closed_cb), self);

  self->last_frame_us = g_get_monotonic_time ();
  self->watchdog_id = g_timeout_add (self->watchdog_ms, watchdog_cb, self);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "trnm");
  json_builder_add_string_value (builder, "LOGIN");
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_end_object (builder);
  secret_free (token);

  send_request (self, request_new (self, REQUEST_LOGIN, NULL, NULL, FALSE), builder);
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  KiwoomSocket *self = user_data;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *conn;
  char *token;

  conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  /* Cancelled: the attempt was dropped, perhaps with the whole socket. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  token = g_object_steal_data (G_OBJECT (self->connect_cancellable), "token");
  g_clear_object (&self->connect_cancellable);

  if (conn == NULL)
    {
      g_message ("Cannot connect to %s: %s", self->ws_url, error->message);
      secret_free (token);
      schedule_reconnect (self);
      return;
    }

  use_connection (self, conn, token);
}

static void
token_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  KiwoomSocket *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  char *token;

  token = kiwoom_rest_get_token_finish (KIWOOM_REST (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (token == NULL)
    {
      if (g_error_matches (error, HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_AUTH)
          || g_error_matches (error, HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_INVALID))
        {
          G_GNUC_UNUSED g_autoptr(KiwoomSocket) guard = g_object_ref (self);

          go_offline (self, SOUP_WEBSOCKET_CLOSE_NORMAL);
          report_problem (self, HOGA_BROKER_ERROR_AUTH,
                          "No access token for the WebSocket: %s", error->message);
          return;
        }
      g_message ("No access token for the WebSocket yet: %s", error->message);
      g_clear_object (&self->connect_cancellable);
      schedule_reconnect (self);
      return;
    }

  msg = soup_message_new (SOUP_METHOD_GET, self->ws_url);
  if (msg == NULL)
    {
      G_GNUC_UNUSED g_autoptr(KiwoomSocket) guard = g_object_ref (self);

      secret_free (token);
      go_offline (self, SOUP_WEBSOCKET_CLOSE_NORMAL);
      report_problem (self, HOGA_BROKER_ERROR_INVALID, "Invalid WebSocket URL: %s",
                      self->ws_url);
      return;
    }

  /* The token rides on the attempt, so it dies with it. */
  g_object_set_data_full (G_OBJECT (self->connect_cancellable), "token", token, secret_free);
  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->connect_cancellable, connect_cb, self);
}

/* ---------------------------------------------------------------------------------- */
/* GObject                                                                              */

static void
kiwoom_socket_dispose (GObject *object)
{
  KiwoomSocket *self = KIWOOM_SOCKET (object);

  self->running = FALSE;
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  drop_connection (self, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);

  for (guint i = 0; i < self->closing->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->closing, i), self);
  g_ptr_array_set_size (self->closing, 0);

  g_clear_object (&self->session);
  g_clear_object (&self->rest);

  G_OBJECT_CLASS (kiwoom_socket_parent_class)->dispose (object);
}

static void
kiwoom_socket_finalize (GObject *object)
{
  KiwoomSocket *self = KIWOOM_SOCKET (object);

  g_clear_pointer (&self->closing, g_ptr_array_unref);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->code_groups, g_hash_table_unref);
  g_clear_pointer (&self->conditions, g_hash_table_unref);
  g_clear_pointer (&self->types, g_strfreev);
  g_free (self->ws_url);

  G_OBJECT_CLASS (kiwoom_socket_parent_class)->finalize (object);
}

static void
kiwoom_socket_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  KiwoomSocket *self = KIWOOM_SOCKET (object);

  switch (prop_id)
    {
    case PROP_WS_URL:
      g_value_set_string (value, self->ws_url);
      break;
    case PROP_REST:
      g_value_set_object (value, self->rest);
      break;
    case PROP_TYPES:
      g_value_set_boxed (value, self->types);
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_LATENCY_US:
      g_value_set_int64 (value, self->latency_us);
      break;
    case PROP_WATCHDOG_MS:
      g_value_set_uint (value, self->watchdog_ms);
      break;
    case PROP_LOGIN_TIMEOUT_MS:
      g_value_set_uint (value, self->login_timeout_ms);
      break;
    case PROP_BACKOFF_MIN_MS:
      g_value_set_uint (value, self->backoff_min_ms);
      break;
    case PROP_BACKOFF_MAX_MS:
      g_value_set_uint (value, self->backoff_max_ms);
      break;
    case PROP_GROUP_SIZE:
      g_value_set_uint (value, self->group_size);
      break;
    case PROP_MAX_CONDITIONS:
      g_value_set_uint (value, self->max_conditions);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiwoom_socket_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  KiwoomSocket *self = KIWOOM_SOCKET (object);

  switch (prop_id)
    {
    case PROP_WS_URL:
      self->ws_url = g_value_dup_string (value);
      break;
    case PROP_REST:
      self->rest = g_value_dup_object (value);
      break;
    case PROP_TYPES:
      if (g_value_get_boxed (value) != NULL)
        {
          g_strfreev (self->types);
          self->types = g_value_dup_boxed (value);
        }
      break;
    case PROP_WATCHDOG_MS:
      set_uint (self, &self->watchdog_ms, value, prop_id);
      break;
    case PROP_LOGIN_TIMEOUT_MS:
      set_uint (self, &self->login_timeout_ms, value, prop_id);
      break;
    case PROP_BACKOFF_MIN_MS:
      set_uint (self, &self->backoff_min_ms, value, prop_id);
      break;
    case PROP_BACKOFF_MAX_MS:
      set_uint (self, &self->backoff_max_ms, value, prop_id);
      break;
    case PROP_GROUP_SIZE:
      set_uint (self, &self->group_size, value, prop_id);
      break;
    case PROP_MAX_CONDITIONS:
      set_uint (self, &self->max_conditions, value, prop_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiwoom_socket_constructed (GObject *object)
{
  KiwoomSocket *self = KIWOOM_SOCKET (object);

  G_OBJECT_CLASS (kiwoom_socket_parent_class)->constructed (object);

  g_assert (self->ws_url != NULL);
  g_assert (KIWOOM_IS_REST (self->rest));
}

static void
add_event_signal (GObjectClass *object_class,
                  guint         id,
                  const char   *name,
                  GType         event_type)
{
  /* Static scope: the struct lives in the scanner's frame; handlers copy what they
   * keep. The VOID:BOXED marshallers honour it, so nothing is copied per tick. */
  signals[id] = g_signal_new (name,
                              G_TYPE_FROM_CLASS (object_class),
                              G_SIGNAL_RUN_LAST,
                              0, NULL, NULL,
                              g_cclosure_marshal_VOID__BOXED,
                              G_TYPE_NONE, 1, event_type | G_SIGNAL_TYPE_STATIC_SCOPE);
  g_signal_set_va_marshaller (signals[id], G_TYPE_FROM_CLASS (object_class),
                              g_cclosure_marshal_VOID__BOXEDv);
}

static void
kiwoom_socket_class_init (KiwoomSocketClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = kiwoom_socket_constructed;
  object_class->dispose = kiwoom_socket_dispose;
  object_class->finalize = kiwoom_socket_finalize;
  object_class->get_property = kiwoom_socket_get_property;
  object_class->set_property = kiwoom_socket_set_property;

  properties[PROP_WS_URL] =
    g_param_spec_string ("ws-url", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REST] =
    g_param_spec_object ("rest", NULL, NULL,
                         KIWOOM_TYPE_REST,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TYPES] =
    g_param_spec_boxed ("types", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      HOGA_CONNECTION_OFFLINE, HOGA_CONNECTION_RECONNECTING,
                      HOGA_CONNECTION_OFFLINE,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LATENCY_US] =
    g_param_spec_int64 ("latency-us", NULL, NULL,
                        -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_WATCHDOG_MS] =
    g_param_spec_uint ("watchdog-ms", NULL, NULL,
                       50, G_MAXINT, 30000,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOGIN_TIMEOUT_MS] =
    g_param_spec_uint ("login-timeout-ms", NULL, NULL,
                       50, G_MAXINT, 2000,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BACKOFF_MIN_MS] =
    g_param_spec_uint ("backoff-min-ms", NULL, NULL,
                       1, G_MAXINT, 500,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BACKOFF_MAX_MS] =
    g_param_spec_uint ("backoff-max-ms", NULL, NULL,
                       1, G_MAXINT, 30000,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_GROUP_SIZE] =
    g_param_spec_uint ("group-size", NULL, NULL,
                       1, 10000, 100,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_MAX_CONDITIONS] =
    g_param_spec_uint ("max-conditions", NULL, NULL,
                       1, 1000, 10,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  add_event_signal (object_class, TICK, "tick", HOGA_TYPE_TICK);
  add_event_signal (object_class, DEPTH, "depth", HOGA_TYPE_DEPTH);
  add_event_signal (object_class, CONDITION_EVENT, "condition-event", HOGA_TYPE_CONDITION_EVENT);
  add_event_signal (object_class, ORDER_EVENT, "order-event", HOGA_TYPE_ORDER_EVENT);
  add_event_signal (object_class, BALANCE_EVENT, "balance-event", HOGA_TYPE_BALANCE_EVENT);
  add_event_signal (object_class, SESSION_EVENT, "session-event", HOGA_TYPE_SESSION_EVENT);

  signals[REARMED] =
    g_signal_new ("rearmed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[PROBLEM] =
    g_signal_new ("problem",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
kiwoom_socket_init (KiwoomSocket *self)
{
  self->types = g_strdupv ((char **) default_types);
  self->watchdog_ms = 30000;
  self->login_timeout_ms = 2000;
  self->backoff_min_ms = 500;
  self->backoff_max_ms = 30000;
  self->group_size = 100;
  self->max_conditions = 10;
  self->latency_us = -1;
  self->state = HOGA_CONNECTION_OFFLINE;

  self->session = soup_session_new_with_options ("timeout", CONNECT_TIMEOUT_S, NULL);
  self->closing = g_ptr_array_new_with_free_func (g_object_unref);
  self->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);
  self->code_groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->conditions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                            (GDestroyNotify) condition_free);
  g_queue_init (&self->pending);
  g_queue_init (&self->waiting_for_list);
}

/* ---------------------------------------------------------------------------------- */
/* Public API                                                                           */

KiwoomSocket *
kiwoom_socket_new (const char *ws_url,
                   KiwoomRest *rest)
{
  g_return_val_if_fail (ws_url != NULL, NULL);
  g_return_val_if_fail (KIWOOM_IS_REST (rest), NULL);

  return g_object_new (KIWOOM_TYPE_SOCKET,
                       "ws-url", ws_url,
                       "rest", rest,
                       NULL);
}

void
kiwoom_socket_start (KiwoomSocket *self)
{
  g_return_if_fail (KIWOOM_IS_SOCKET (self));

  if (self->running)
    return;

  self->running = TRUE;
  self->was_online = FALSE;
  self->login_refusals = 0;
  self->unanswered_logins = 0;
  self->backoff_attempt = 0;
  set_state (self, HOGA_CONNECTION_CONNECTING);
  begin_attempt (self);
}

void
kiwoom_socket_stop (KiwoomSocket *self)
{
  g_return_if_fail (KIWOOM_IS_SOCKET (self));

  go_offline (self, SOUP_WEBSOCKET_CLOSE_NORMAL);
}

HogaConnectionState
kiwoom_socket_get_state (KiwoomSocket *self)
{
  g_return_val_if_fail (KIWOOM_IS_SOCKET (self), HOGA_CONNECTION_OFFLINE);

  return self->state;
}

gint64
kiwoom_socket_get_latency_us (KiwoomSocket *self)
{
  g_return_val_if_fail (KIWOOM_IS_SOCKET (self), -1);

  return self->latency_us;
}

void
kiwoom_socket_get_stats (KiwoomSocket      *self,
                         KiwoomSocketStats *stats)
{
  g_return_if_fail (KIWOOM_IS_SOCKET (self));
  g_return_if_fail (stats != NULL);

  *stats = self->stats;
}

/* Codes added to or taken out of each group by one subscribe/unsubscribe call, so each
 * touched group gets one REG or REMOVE, in the order the groups were first touched. */
typedef struct {
  GArray     *touched;    /* group numbers */
  GHashTable *codes;      /* group number → GPtrArray of codes */
} Changes;

static void
changes_init (Changes *changes)
{
  changes->touched = g_array_new (FALSE, FALSE, sizeof (guint));
  changes->codes = g_hash_table_new_full (NULL, NULL, NULL,
                                          (GDestroyNotify) g_ptr_array_unref);
}

static void
changes_clear (Changes *changes)
{
  g_clear_pointer (&changes->touched, g_array_unref);
  g_clear_pointer (&changes->codes, g_hash_table_unref);
}

static void
changes_add (Changes    *changes,
             guint       number,
             const char *code)
{
  GPtrArray *codes = g_hash_table_lookup (changes->codes, GUINT_TO_POINTER (number));

  if (codes == NULL)
    {
      codes = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (changes->codes, GUINT_TO_POINTER (number), codes);
      g_array_append_val (changes->touched, number);
    }
  g_ptr_array_add (codes, g_strdup (code));
}

static void
changes_send (KiwoomSocket *self,
              Changes      *changes,
              RequestKind   kind)
{
  if (!self->logged_in)
    return;

  for (guint i = 0; i < changes->touched->len; i++)
    {
      guint number = g_array_index (changes->touched, guint, i);

      send_registration (self, kind, number,
                         g_hash_table_lookup (changes->codes, GUINT_TO_POINTER (number)),
                         (const char * const *) self->types, FALSE);
    }
}

void
kiwoom_socket_subscribe (KiwoomSocket       *self,
                         const char * const *codes)
{
  Changes added;

  g_return_if_fail (KIWOOM_IS_SOCKET (self));
  g_return_if_fail (codes != NULL);

  changes_init (&added);
  for (guint i = 0; codes[i] != NULL; i++)
    {
      char code[HOGA_CODE_SIZE];
      Group *group;

      if (!hoga_code_normalize (codes[i], -1, code))
        {
          g_message ("Not subscribing to an invalid code");
          continue;
        }
      if (g_hash_table_contains (self->code_groups, code))
        continue;

      group = group_with_room (self);
      if (group == NULL)
        {
          g_message ("Every REG group is full; not subscribing to %s", code);
          continue;
        }
      g_ptr_array_add (group->codes, g_strdup (code));
      g_hash_table_insert (self->code_groups, g_strdup (code), group);
      changes_add (&added, group->number, code);
    }

  changes_send (self, &added, REQUEST_REG);
  changes_clear (&added);
}

void
kiwoom_socket_unsubscribe (KiwoomSocket       *self,
                           const char * const *codes)
{
  Changes removed;

  g_return_if_fail (KIWOOM_IS_SOCKET (self));
  g_return_if_fail (codes != NULL);

  changes_init (&removed);
  for (guint i = 0; codes[i] != NULL; i++)
    {
      char code[HOGA_CODE_SIZE];
      Group *group;
      guint index;

      if (!hoga_code_normalize (codes[i], -1, code))
        continue;
      group = g_hash_table_lookup (self->code_groups, code);
      if (group == NULL)
        continue;

      if (g_ptr_array_find_with_equal_func (group->codes, code, g_str_equal, &index))
        g_ptr_array_remove_index (group->codes, index);
      g_hash_table_remove (self->code_groups, code);
      changes_add (&removed, group->number, code);

      if (group->codes->len == 0)
        g_ptr_array_remove (self->groups, group);
    }

  changes_send (self, &removed, REQUEST_REMOVE);
  changes_clear (&removed);
}

char **
kiwoom_socket_dup_subscriptions (KiwoomSocket *self)
{
  g_return_val_if_fail (KIWOOM_IS_SOCKET (self), NULL);

  return sorted_keys (self->code_groups);
}

void
kiwoom_socket_list_conditions_async (KiwoomSocket        *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KIWOOM_IS_SOCKET (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kiwoom_socket_list_conditions_async);

  if (!self->logged_in)
    {
      g_task_return_new_error (task, HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_NOT_CONNECTED,
                               "Not connected to the broker");
      return;
    }

  send_list (self, task, FALSE);
}

GPtrArray *
kiwoom_socket_list_conditions_finish (KiwoomSocket  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (KIWOOM_IS_SOCKET (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
kiwoom_socket_start_condition_async (KiwoomSocket        *self,
                                     const char          *seq,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *trimmed = NULL;
  Condition *condition;

  g_return_if_fail (KIWOOM_IS_SOCKET (self));
  g_return_if_fail (seq != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kiwoom_socket_start_condition_async);

  trimmed = trimmed_seq (seq);
  if (*trimmed == '\0' || strlen (trimmed) >= HOGA_SEQ_SIZE)
    {
      g_task_return_new_error (task, HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_INVALID,
                               "Invalid condition seq “%s”", seq);
      return;
    }
  if (!self->logged_in)
    {
      g_task_return_new_error (task, HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_NOT_CONNECTED,
                               "Not connected to the broker");
      return;
    }

  condition = g_hash_table_lookup (self->conditions, trimmed);
  if (condition != NULL && condition->active)
    {
      g_task_return_pointer (task, sorted_keys (condition->members),
                             (GDestroyNotify) g_strfreev);
      return;
    }
  if (condition != NULL)
    {
      g_task_return_new_error (task, HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_INVALID,
                               "Condition %s is already being started", trimmed);
      return;
    }
  if (g_hash_table_size (self->conditions) >= self->max_conditions)
    {
      g_task_return_new_error (task, HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_INVALID,
                               "At most %u realtime conditions can run at once; "
                               "stop one before starting condition %s",
                               self->max_conditions, trimmed);
      return;
    }

  condition = condition_new (trimmed);
  g_hash_table_insert (self->conditions, condition->seq, condition);
  send_condition (self, request_new (self, REQUEST_CONDITION, trimmed, task, FALSE));
}

char **
kiwoom_socket_start_condition_finish (KiwoomSocket  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (KIWOOM_IS_SOCKET (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
kiwoom_socket_stop_condition (KiwoomSocket *self,
                              const char   *seq)
{
  g_autofree char *trimmed = NULL;
  g_autoptr(GError) error = NULL;
  GQueue stopped = G_QUEUE_INIT;
  Request *request;

  g_return_if_fail (KIWOOM_IS_SOCKET (self));
  g_return_if_fail (seq != NULL);

  trimmed = trimmed_seq (seq);
  if (!g_hash_table_remove (self->conditions, trimmed))
    return;

  /* A start still waiting for CNSRLST is never sent. */
  for (GList *l = self->waiting_for_list.head; l != NULL;)
    {
      GList *next = l->next;

      request = l->data;
      if (g_strcmp0 (request->seq, trimmed) == 0)
        {
          g_queue_delete_link (&self->waiting_for_list, l);
          g_queue_push_tail (&stopped, request);
        }
      l = next;
    }

  if (self->logged_in)
    send_clear (self, trimmed);

  error = g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                       "Condition %s was stopped before it started", trimmed);
  while ((request = g_queue_pop_head (&stopped)) != NULL)
    request_fail (self, request, error);
}

char **
kiwoom_socket_dup_condition_members (KiwoomSocket *self,
                                     const char   *seq)
{
  g_autofree char *trimmed = NULL;
  Condition *condition;

  g_return_val_if_fail (KIWOOM_IS_SOCKET (self), NULL);
  g_return_val_if_fail (seq != NULL, NULL);

  trimmed = trimmed_seq (seq);
  condition = g_hash_table_lookup (self->conditions, trimmed);
  if (condition == NULL || !condition->active)
    return NULL;
  return sorted_keys (condition->members);
}

/* ---- private API (kiwoom-socket-private.h) ------------------------------------------- */

void
kiwoom_socket_attach_for_testing (KiwoomSocket            *self,
                                  SoupWebsocketConnection *conn)
{
  g_return_if_fail (KIWOOM_IS_SOCKET (self));
  g_return_if_fail (SOUP_IS_WEBSOCKET_CONNECTION (conn));
  g_return_if_fail (self->running);

  /* The way a real reconnect goes: the old connection is lost first. */
  if (self->conn != NULL)
    drop_and_reconnect (self, SOUP_WEBSOCKET_CLOSE_NORMAL);
  if (!self->running)
    return;

  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  if (self->connect_cancellable != NULL)
    {
      g_cancellable_cancel (self->connect_cancellable);
      g_clear_object (&self->connect_cancellable);
    }
  use_connection (self, g_object_ref (conn), g_strdup ("test-token"));
}

gboolean
kiwoom_socket_receive_for_testing (KiwoomSocket          *self,
                                   SoupWebsocketDataType  type,
                                   GBytes                *message)
{
  g_return_val_if_fail (KIWOOM_IS_SOCKET (self), FALSE);
  g_return_val_if_fail (message != NULL, FALSE);

  if (self->conn == NULL)
    return FALSE;
  message_cb (self->conn, type, message, self);
  return TRUE;
}

gboolean
kiwoom_socket_expire_for_testing (KiwoomSocket *self)
{
  Request *request;

  g_return_val_if_fail (KIWOOM_IS_SOCKET (self), FALSE);

  request = g_queue_peek_head (&self->pending);
  if (request == NULL)
    return FALSE;
  g_clear_handle_id (&request->timeout_id, g_source_remove);
  request_timeout_cb (request);
  return TRUE;
}

static gboolean
is_normalized_code (const char *code)
{
  char normalized[HOGA_CODE_SIZE];

  return hoga_code_normalize (code, -1, normalized) && g_str_equal (normalized, code);
}

static gboolean
has_start_request (KiwoomSocket *self,
                   const char   *seq)
{
  GQueue *queues[] = { &self->pending, &self->waiting_for_list };

  for (guint i = 0; i < G_N_ELEMENTS (queues); i++)
    for (GList *l = queues[i]->head; l != NULL; l = l->next)
      {
        Request *request = l->data;

        if (request->kind == REQUEST_CONDITION && !request->rearm
            && g_strcmp0 (request->seq, seq) == 0)
          return TRUE;
      }
  return FALSE;
}

void
kiwoom_socket_assert_consistent (KiwoomSocket *self)
{
  GHashTableIter iter;
  gpointer key;
  gpointer value;
  gboolean list_pending = FALSE;
  guint n_login = 0;
  guint n_rearm = 0;
  guint n_codes = 0;

  g_return_if_fail (KIWOOM_IS_SOCKET (self));

  /* The connection: stopped, connected, or between connections with exactly one way
   * forward (an attempt in flight or a reconnect scheduled). */
  if (!self->running)
    g_assert (self->conn == NULL && self->connect_cancellable == NULL
              && self->reconnect_id == 0 && self->state == HOGA_CONNECTION_OFFLINE);
  else if (self->conn != NULL)
    g_assert (self->connect_cancellable == NULL && self->reconnect_id == 0);
  else
    g_assert ((self->connect_cancellable != NULL) != (self->reconnect_id != 0));
  g_assert ((self->conn != NULL) == (self->watchdog_id != 0));
  if (self->logged_in)
    g_assert (self->conn != NULL && self->state == HOGA_CONNECTION_ONLINE);
  else if (self->running)
    g_assert (self->state == HOGA_CONNECTION_CONNECTING
              || self->state == HOGA_CONNECTION_RECONNECTING);
  g_assert (!self->list_done || self->logged_in);
  g_assert (self->latency_us >= -1);

  /* Requests belong to the current connection: LOGIN alone before its ack, the others
   * after it; CNSRREQs wait only for a CNSRLST that is out. */
  for (GList *l = self->pending.head; l != NULL; l = l->next)
    {
      Request *request = l->data;

      g_assert (self->conn != NULL);
      g_assert (request->generation == self->generation);
      g_assert (request->timeout_id != 0);
      if (request->kind == REQUEST_LOGIN)
        n_login++;
      else
        g_assert (self->logged_in);
      list_pending |= request->kind == REQUEST_LIST;
      n_rearm += request->rearm ? 1 : 0;
    }
  g_assert (n_login == (self->conn != NULL && !self->logged_in ? 1 : 0));

  for (GList *l = self->waiting_for_list.head; l != NULL; l = l->next)
    {
      Request *request = l->data;

      g_assert (request->kind == REQUEST_CONDITION);
      g_assert (request->generation == self->generation);
      g_assert (request->timeout_id == 0);
      n_rearm += request->rearm ? 1 : 0;
    }
  g_assert (g_queue_is_empty (&self->waiting_for_list) || (list_pending && !self->list_done));
  g_assert (self->rearm_pending == n_rearm);

  /* Every wanted code is in exactly one group, and the groups are numbered in order. */
  for (guint i = 0; i < self->groups->len; i++)
    {
      Group *group = g_ptr_array_index (self->groups, i);

      g_assert (group->number >= 1 && group->number < SESSION_GROUP_NUMBER);
      g_assert (i == 0 || ((Group *) g_ptr_array_index (self->groups, i - 1))->number
                          < group->number);
      g_assert (group->codes->len > 0);
      for (guint j = 0; j < group->codes->len; j++)
        {
          const char *code = g_ptr_array_index (group->codes, j);

          g_assert (is_normalized_code (code));
          g_assert (g_hash_table_lookup (self->code_groups, code) == group);
        }
      n_codes += group->codes->len;
    }
  g_assert (n_codes == g_hash_table_size (self->code_groups));

  /* A condition is running, or its start is out. */
  g_hash_table_iter_init (&iter, self->conditions);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Condition *condition = value;
      GHashTableIter members;
      gpointer code;

      g_assert (key == condition->seq);
      g_assert (condition->seq[0] != '\0' && strlen (condition->seq) < HOGA_SEQ_SIZE);
      g_assert (condition->active || has_start_request (self, condition->seq));
      g_hash_table_iter_init (&members, condition->members);
      while (g_hash_table_iter_next (&members, &code, NULL))
        g_assert (is_normalized_code (code));
    }
}
