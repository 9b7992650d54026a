/* hoga-sim-exchange.c — the simulated profile's own hoga-exchange, spawned on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The exchange runs the real KRX schedule (--clock krx) from a start time at the opening
 * of a trading day, so a newcomer at night or on a Sunday still sees a live session. The
 * engine must agree with it on the time (trading window, "today"), so it gets a clock with
 * the same offset from real time. The exchange logs to stderr; those lines are passed on
 * as debug messages in the "hoga-exchange" domain (G_MESSAGES_DEBUG=hoga-exchange).
 */
#define G_LOG_DOMAIN "hoga"

#include "config.h"

#include <signal.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "hoga-krx.h"
#include "hoga-sim-exchange.h"

#define PROGRAM_NAME "hoga-exchange"

/* Loading the market data and binding two ports takes well under a second; a slow
 * machine under load gets a generous margin before the start is given up. */
#define READY_TIMEOUT_S 20

/* Seconds after the opening bell: the opening auction's prints are out by then. */
#define START_TIME_OF_DAY "09:00:05"

struct _HogaSimExchange {
  GObject       parent_instance;

  char         *program;
  GSubprocess  *process;
  GCancellable *cancellable;      /* the stderr reader and the exit watch */
  char         *rest_url;
  char         *ws_url;
  char         *last_stderr_line; /* said when the exchange fails */
  gint64        offset_usec;      /* simulated minus real time */
  gint64        start_usec;       /* the simulated start, µs since the epoch */
  gboolean      ready;
  gboolean      terminating;
};

G_DEFINE_FINAL_TYPE (HogaSimExchange, hoga_sim_exchange, G_TYPE_OBJECT)

enum {
  SIGNAL_EXITED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct {
  GDataInputStream *stdout_lines;
  GCancellable     *cancellable;  /* cancelled by the caller's or by the timeout */
  GCancellable     *caller_cancellable;
  gulong            cancelled_id;
  guint             timeout_id;
  gboolean          timed_out;
} StartData;

static void
start_data_free (StartData *data)
{
  if (data->caller_cancellable != NULL)
    g_cancellable_disconnect (data->caller_cancellable, data->cancelled_id);
  g_clear_object (&data->caller_cancellable);
  g_clear_handle_id (&data->timeout_id, g_source_remove);
  g_clear_object (&data->stdout_lines);
  g_clear_object (&data->cancellable);
  g_free (data);
}

static char *
describe_exit (HogaSimExchange *self)
{
  g_autofree char *status = NULL;

  if (g_subprocess_get_if_signaled (self->process))
    /* Translators: a signal number */
    status = g_strdup_printf (_("killed by signal %d"), g_subprocess_get_term_sig (self->process));
  else
    /* Translators: an exit status */
    status = g_strdup_printf (_("exit status %d"), g_subprocess_get_exit_status (self->process));

  if (self->last_stderr_line != NULL)
    /* Translators: the program's name, how it ended, its last message */
    return g_strdup_printf (_("%s ended (%s): %s"), PROGRAM_NAME, status,
                            self->last_stderr_line);
  /* Translators: the program's name, how it ended */
  return g_strdup_printf (_("%s ended (%s)"), PROGRAM_NAME, status);
}

/* The simulated time of the latest trading day's opening (today's when the market opens
 * today), KST. */
static GDateTime *
pick_start_time (void)
{
  g_autoptr(GDateTime) day = hoga_krx_now ();
  g_autofree char *text = NULL;

  /* The longest KRX closure (new year plus a long Chuseok) is far shorter than this. */
  for (guint i = 0; i < 31 && !hoga_krx_is_trading_day (day); i++)
    {
      GDateTime *before = g_date_time_add_days (day, -1);

      g_date_time_unref (day);
      day = before;
    }

  text = g_strdup_printf ("%04d-%02d-%02dT" START_TIME_OF_DAY,
                          g_date_time_get_year (day), g_date_time_get_month (day),
                          g_date_time_get_day_of_month (day));
  return g_date_time_new_from_iso8601 (text, hoga_krx_time_zone ());
}

static void
read_stderr_line_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GDataInputStream *lines = G_DATA_INPUT_STREAM (source);
  HogaSimExchange *self = user_data;
  g_autofree char *line = NULL;

  /* NULL at the end of the stream, and when cancelled by dispose: self is gone then. */
  line = g_data_input_stream_read_line_finish_utf8 (lines, result, NULL, NULL);
  if (line == NULL)
    return;

  g_log_structured (PROGRAM_NAME, G_LOG_LEVEL_DEBUG, "MESSAGE", "%s", line);
  g_free (self->last_stderr_line);
  self->last_stderr_line = g_steal_pointer (&line);

  g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, self->cancellable,
                                       read_stderr_line_cb, self);
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  HogaSimExchange *self = user_data;
  g_autofree char *reason = NULL;

  /* FALSE only when cancelled by dispose: self is gone then. */
  if (!g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL))
    return;

  /* Before the ready line, the start fails with this same reason on its own. */
  if (self->terminating || !self->ready)
    return;

  reason = describe_exit (self);
  g_signal_emit (self, signals[SIGNAL_EXITED], 0, reason);
}

static gboolean
parse_ready_line (HogaSimExchange  *self,
                  const char       *line,
                  GError          **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *object;
  const char *rest_url;
  const char *ws_url;

  if (json_parser_load_from_data (parser, line, -1, NULL)
      && (root = json_parser_get_root (parser)) != NULL
      && JSON_NODE_HOLDS_OBJECT (root))
    {
      object = json_node_get_object (root);
      rest_url = json_object_get_string_member_with_default (object, "rest_url", NULL);
      ws_url = json_object_get_string_member_with_default (object, "ws_url", NULL);

      if (rest_url != NULL && ws_url != NULL)
        {
          self->rest_url = g_strdup (rest_url);
          self->ws_url = g_strdup (ws_url);
          return TRUE;
        }
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               /* Translators: the program's name, then the line it printed */
               _("%s printed “%s” instead of its ready line"), PROGRAM_NAME, line);
  return FALSE;
}

static void
read_ready_line_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HogaSimExchange *self = g_task_get_source_object (task);
  StartData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                    NULL, &error);
  if (line == NULL && error == NULL && self->last_stderr_line != NULL)
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 /* Translators: the program's name, then its last message */
                 _("%s stopped before it was ready: %s"), PROGRAM_NAME,
                 self->last_stderr_line);
  else if (line == NULL && error == NULL)
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 /* Translators: the program's name */
                 _("%s stopped before it was ready"), PROGRAM_NAME);
  else if (line == NULL && data->timed_out)
    {
      g_clear_error (&error);
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   /* Translators: the program's name, then a number of seconds */
                   _("%s was not ready after %d seconds"), PROGRAM_NAME, READY_TIMEOUT_S);
    }

  if (line == NULL || !parse_ready_line (self, line, &error))
    {
      hoga_sim_exchange_terminate (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The exchange started its clock a moment before it printed this line, so measured
   * here the engine's clock runs those few milliseconds behind the exchange's. */
  self->offset_usec = self->start_usec - g_get_real_time ();
  self->ready = TRUE;
  g_task_return_boolean (task, TRUE);
}

static gboolean
ready_timeout_cb (gpointer user_data)
{
  StartData *data = user_data;

  data->timeout_id = 0;
  data->timed_out = TRUE;
  g_cancellable_cancel (data->cancellable);
  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *caller_cancellable,
                     gpointer      user_data)
{
  GCancellable *cancellable = user_data;

  g_cancellable_cancel (cancellable);
}

/* Runs in the child between fork and exec. */
static void
child_setup (gpointer user_data)
{
  /* Ctrl+C in a terminal signals the whole foreground process group: the exchange must
   * keep running while the engine stops, and is ended last, by hoga itself. */
  setpgid (0, 0);
#ifdef __linux__
  /* An exchange outliving a crashed hoga would keep its ports for nothing. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
#endif
}

static void
hoga_sim_exchange_dispose (GObject *object)
{
  HogaSimExchange *self = HOGA_SIM_EXCHANGE (object);

  hoga_sim_exchange_terminate (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->process);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (hoga_sim_exchange_parent_class)->dispose (object);
}

static void
hoga_sim_exchange_finalize (GObject *object)
{
  HogaSimExchange *self = HOGA_SIM_EXCHANGE (object);

  g_free (self->program);
  g_free (self->rest_url);
  g_free (self->ws_url);
  g_free (self->last_stderr_line);

  G_OBJECT_CLASS (hoga_sim_exchange_parent_class)->finalize (object);
}

static void
hoga_sim_exchange_class_init (HogaSimExchangeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hoga_sim_exchange_dispose;
  object_class->finalize = hoga_sim_exchange_finalize;

  signals[SIGNAL_EXITED] = g_signal_new ("exited",
                                         G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
hoga_sim_exchange_init (HogaSimExchange *self)
{
  self->cancellable = g_cancellable_new ();
}

char *
hoga_sim_exchange_find_program (GError **error)
{
  const char *env = g_getenv ("HOGA_EXCHANGE");
  g_autofree char *self_path = NULL;
  g_autofree char *found = NULL;

  if (env != NULL && *env != '\0')
    {
      if (g_file_test (env, G_FILE_TEST_IS_EXECUTABLE))
        return g_strdup (env);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   /* Translators: the path from the HOGA_EXCHANGE variable */
                   _("HOGA_EXCHANGE is “%s”, which is not an executable program"), env);
      return NULL;
    }

  self_path = g_file_read_link ("/proc/self/exe", NULL);
  if (self_path != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self_path);
      const char *candidates[] = {
        /* the build tree: src/hoga/hoga and src/exchange/hoga-exchange */
        "../exchange/" PROGRAM_NAME,
        /* installed side by side in bindir */
        PROGRAM_NAME,
      };

      for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
        {
          g_autofree char *path = g_build_filename (dir, candidates[i], NULL);

          if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
            return g_canonicalize_filename (path, NULL);
        }
    }

  found = g_build_filename (LIBEXECDIR, PROGRAM_NAME, NULL);
  if (g_file_test (found, G_FILE_TEST_IS_EXECUTABLE))
    return g_steal_pointer (&found);
  g_clear_pointer (&found, g_free);

  found = g_find_program_in_path (PROGRAM_NAME);
  if (found != NULL)
    return g_steal_pointer (&found);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               /* Translators: the program's name */
               _("Cannot find %s for the simulated profile: install it, or set "
                 "HOGA_EXCHANGE to its path"), PROGRAM_NAME);
  return NULL;
}

HogaSimExchange *
hoga_sim_exchange_new (const char *program)
{
  HogaSimExchange *self;

  g_return_val_if_fail (program != NULL, NULL);

  self = g_object_new (HOGA_TYPE_SIM_EXCHANGE, NULL);
  self->program = g_strdup (program);
  return self;
}

void
hoga_sim_exchange_start_async (HogaSimExchange     *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDataInputStream) stderr_lines = NULL;
  g_autofree char *start_text = NULL;
  g_autoptr(GError) error = NULL;
  StartData *data;

  g_return_if_fail (HOGA_IS_SIM_EXCHANGE (self));
  g_return_if_fail (self->process == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hoga_sim_exchange_start_async);

  start = pick_start_time ();
  start_text = g_date_time_format (start, "%Y-%m-%d %H:%M:%S");
  self->start_usec = g_date_time_to_unix (start) * G_USEC_PER_SEC;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* It needs no keys, so it gets none. */
  g_subprocess_launcher_unsetenv (launcher, "KIWOOM_APPKEY");
  g_subprocess_launcher_unsetenv (launcher, "KIWOOM_SECRETKEY");
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);

  self->process = g_subprocess_launcher_spawn (launcher, &error, self->program,
                                               "--clock", "krx",
                                               "--start-time", start_text,
                                               NULL);
  if (self->process == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               /* Translators: the program's path, then the reason */
                               _("Cannot start %s: %s"), self->program, error->message);
      return;
    }

  /* No reference held: dispose cancels both, and ends the process. */
  g_subprocess_wait_async (self->process, self->cancellable, wait_cb, self);

  stderr_lines = g_data_input_stream_new (g_subprocess_get_stderr_pipe (self->process));
  g_data_input_stream_read_line_async (stderr_lines, G_PRIORITY_DEFAULT, self->cancellable,
                                       read_stderr_line_cb, self);

  data = g_new0 (StartData, 1);
  data->stdout_lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  data->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      data->caller_cancellable = g_object_ref (cancellable);
      data->cancelled_id = g_cancellable_connect (cancellable,
                                                  G_CALLBACK (caller_cancelled_cb),
                                                  g_object_ref (data->cancellable),
                                                  g_object_unref);
    }
  data->timeout_id = g_timeout_add_seconds (READY_TIMEOUT_S, ready_timeout_cb, data);
  g_task_set_task_data (task, data, (GDestroyNotify) start_data_free);

  g_data_input_stream_read_line_async (data->stdout_lines, G_PRIORITY_DEFAULT,
                                       data->cancellable, read_ready_line_cb,
                                       g_steal_pointer (&task));
}

gboolean
hoga_sim_exchange_start_finish (HogaSimExchange  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (HOGA_IS_SIM_EXCHANGE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
hoga_sim_exchange_get_rest_url (HogaSimExchange *self)
{
  g_return_val_if_fail (HOGA_IS_SIM_EXCHANGE (self), NULL);

  return self->rest_url;
}

const char *
hoga_sim_exchange_get_ws_url (HogaSimExchange *self)
{
  g_return_val_if_fail (HOGA_IS_SIM_EXCHANGE (self), NULL);

  return self->ws_url;
}

GDateTime *
hoga_sim_exchange_now (HogaSimExchange *self)
{
  g_autoptr(GDateTime) whole = NULL;
  g_autoptr(GDateTime) utc = NULL;
  gint64 now;

  g_return_val_if_fail (HOGA_IS_SIM_EXCHANGE (self), NULL);

  /* g_date_time_new_from_unix_utc_usec() is GLib 2.80. */
  now = g_get_real_time () + self->offset_usec;
  whole = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);
  utc = g_date_time_add (whole, now % G_USEC_PER_SEC);
  return hoga_krx_to_kst (utc);
}

void
hoga_sim_exchange_terminate (HogaSimExchange *self)
{
  g_return_if_fail (HOGA_IS_SIM_EXCHANGE (self));

  if (self->process == NULL || self->terminating)
    return;

  self->terminating = TRUE;
  g_subprocess_send_signal (self->process, SIGTERM);
}
