/* hoga-session.c — one profile's running engine: its exchange, broker, journal and engine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The composition root of the trading engine (DESIGN.md §2): it is the one place that
 * knows the concrete broker (Kiwoom over libsoup) and journal (SQLite) behind the core's
 * ports, so the headless program and the desktop window run exactly the same engine.
 */
#define G_LOG_DOMAIN "hoga"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "hoga-credentials.h"
#include "hoga-krx.h"
#include "hoga-session.h"
#include "hoga-sim-exchange.h"
#include "hoga-sqlite-journal.h"
#include "kiwoom-broker.h"

/* DESIGN.md §3 */
#define MOCK_REST_URL "https://mockapi.kiwoom.com"
#define MOCK_WS_URL   "wss://mockapi.kiwoom.com:10000/api/dostk/websocket"
#define REAL_REST_URL "https://api.kiwoom.com"
#define REAL_WS_URL   "wss://api.kiwoom.com:10000/api/dostk/websocket"

struct _HogaSession {
  GObject             parent_instance;

  HogaSettings       *settings;
  char               *profile;          /* the profile's nick */
  HogaCredentials    *credentials;      /* until the broker has them; never simulated */
  char               *exchange_program; /* the simulated profile only */
  HogaSqliteJournal  *journal;

  HogaSimExchange    *exchange;
  KiwoomBroker       *broker;
  HogaEngine         *engine;
};

G_DEFINE_FINAL_TYPE (HogaSession, hoga_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ENGINE,
  N_PROPS
};

enum {
  MILESTONE,
  ENGINE_LOG,
  PROBLEM,
  EXCHANGE_EXITED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
milestone (HogaSession    *self,
           GLogLevelFlags  level,
           const char     *event,
           const char     *format,
           ...) G_GNUC_PRINTF (4, 5);

static void
milestone (HogaSession    *self,
           GLogLevelFlags  level,
           const char     *event,
           const char     *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_signal_emit (self, signals[MILESTONE], 0, (guint) level, event, message);
}

static GDateTime *
exchange_clock_cb (gpointer user_data)
{
  return hoga_sim_exchange_now (HOGA_SIM_EXCHANGE (user_data));
}

#ifdef HOGA_ENABLE_CRASH_POINTS
/* The crash tests run the engine at a set session time with an exchange started at the
 * same time, so they need not wait for market hours. Only builds with crash points read
 * HOGA_TEST_CLOCK ("YYYY-MM-DD HH:MM:SS", KST); a release never does. The soak
 * (bench/soak.py) replays a whole day on an exchange run with --speed: its
 * HOGA_TEST_CLOCK_SPEED, simulated seconds per real second as for the exchange, keeps the
 * engine's clock (trading window, end of day, order times) on the exchange's. */
typedef struct {
  GDateTime *start;
  gint64     started_us;
  double     speed;
} TestClock;

static GDateTime *
test_clock_cb (gpointer user_data)
{
  TestClock *clock = user_data;
  gint64 elapsed_us = g_get_monotonic_time () - clock->started_us;

  return g_date_time_add (clock->start, (GTimeSpan) ((double) elapsed_us * clock->speed));
}

static void
test_clock_free (gpointer user_data)
{
  TestClock *clock = user_data;

  g_date_time_unref (clock->start);
  g_free (clock);
}

static void
apply_test_clock (HogaEngine *engine)
{
  const char *text = g_getenv ("HOGA_TEST_CLOCK");
  const char *speed_text = g_getenv ("HOGA_TEST_CLOCK_SPEED");
  g_autofree char *iso = NULL;
  TestClock *clock;
  GDateTime *start;

  if (text == NULL)
    return;
  iso = g_strdelimit (g_strdup (text), " ", 'T');
  start = g_date_time_new_from_iso8601 (iso, hoga_krx_time_zone ());
  if (start == NULL)
    {
      g_warning ("HOGA_TEST_CLOCK “%s” is not “YYYY-MM-DD HH:MM:SS”: ignored", text);
      return;
    }
  clock = g_new0 (TestClock, 1);
  clock->start = start;
  clock->started_us = g_get_monotonic_time ();
  clock->speed = 1.0;
  if (speed_text != NULL)
    {
      char *end = NULL;
      double speed = g_ascii_strtod (speed_text, &end);

      if (end != speed_text && *end == '\0' && speed > 0.0 && speed <= 10000.0)
        clock->speed = speed;
      else
        g_warning ("HOGA_TEST_CLOCK_SPEED “%s” is not a number above 0 and at most 10000: "
                   "ignored", speed_text);
    }
  hoga_engine_set_clock (engine, test_clock_cb, clock, test_clock_free);
}
#endif

static void
engine_log_cb (HogaEngine *engine,
               guint       level,
               const char *code,
               const char *message,
               gpointer    user_data)
{
  g_signal_emit (user_data, signals[ENGINE_LOG], 0, level, code, message);
}

static void
engine_problem_cb (HogaEngine   *engine,
                   const GError *problem,
                   gpointer      user_data)
{
  g_signal_emit (user_data, signals[PROBLEM], 0, problem);
}

static void
exchange_exited_cb (HogaSimExchange *exchange,
                    const char      *reason,
                    gpointer         user_data)
{
  g_signal_emit (user_data, signals[EXCHANGE_EXITED], 0, reason);
}

static void
engine_start_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!hoga_engine_start_finish (HOGA_ENGINE (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
start_engine (HogaSession *self,
              GTask       *task,
              const char  *rest_url,
              const char  *ws_url,
              const char  *appkey,
              const char  *secretkey)
{
  self->broker = kiwoom_broker_new (rest_url, ws_url, appkey, secretkey);
  kiwoom_broker_set_venue (self->broker, self->settings->venue);
  kiwoom_rest_set_rate_limit (kiwoom_broker_get_rest (self->broker),
                              hoga_settings_get_rate_limit (self->settings));

  self->engine = hoga_engine_new (HOGA_BROKER (self->broker), HOGA_JOURNAL (self->journal),
                                  self->settings);
  g_signal_connect_object (self->engine, "log", G_CALLBACK (engine_log_cb), self, 0);
  g_signal_connect_object (self->engine, "problem", G_CALLBACK (engine_problem_cb), self, 0);
  if (self->exchange != NULL)
    hoga_engine_set_clock (self->engine, exchange_clock_cb, g_object_ref (self->exchange),
                           g_object_unref);
#ifdef HOGA_ENABLE_CRASH_POINTS
  else
    apply_test_clock (self->engine);
#endif
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);

  /* Only the host: the URL is not secret, but a custom one may carry a path or query
   * the user did not mean to publish in a log. */
  {
    g_autoptr(GUri) uri = g_uri_parse (rest_url, G_URI_FLAGS_NONE, NULL);

    milestone (self, G_LOG_LEVEL_INFO, "connecting",
               /* Translators: a host name or address */
               _("Connecting to %s"), uri != NULL ? g_uri_get_host (uri) : "?");
  }

  hoga_engine_start_async (self->engine, g_task_get_cancellable (task), engine_start_cb,
                           g_object_ref (task));
}

static void
exchange_start_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HogaSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *shown = NULL;

  if (!hoga_sim_exchange_start_finish (self->exchange, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, _("The simulated exchange could not start: "));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  now = hoga_sim_exchange_now (self->exchange);
  shown = g_date_time_format (now, "%Y-%m-%d %H:%M:%S");
  milestone (self, G_LOG_LEVEL_INFO, "exchange-ready",
             /* Translators: a date and time in Korea */
             _("Simulated exchange ready; its session clock reads %s KST"), shown);

  g_signal_connect_object (self->exchange, "exited", G_CALLBACK (exchange_exited_cb), self, 0);
  start_engine (self, task,
                hoga_sim_exchange_get_rest_url (self->exchange),
                hoga_sim_exchange_get_ws_url (self->exchange),
                HOGA_SIM_EXCHANGE_APPKEY, HOGA_SIM_EXCHANGE_SECRETKEY);
}

static void
stop_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HogaSession *self = g_task_get_source_object (task);
  GError *error = NULL;

  hoga_session_terminate_exchange (self);
  if (!hoga_engine_stop_finish (HOGA_ENGINE (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static char *
get_profile_nick (const HogaSettings *settings)
{
  g_autoptr(GVariant) value = hoga_settings_get_value (settings, "broker", "profile");

  return g_variant_dup_string (value, NULL);
}

static HogaSqliteJournal *
open_journal (const char  *profile,
              GError     **error)
{
  g_autofree char *path = hoga_sqlite_journal_default_path (profile);
  g_autoptr(GError) local_error = NULL;
  HogaSqliteJournal *journal;

  journal = hoga_sqlite_journal_open (path, &local_error);
  if (journal == NULL)
    {
      /* Most of the journal's errors name the file already. */
      if (strstr (local_error->message, path) == NULL)
        g_prefix_error (&local_error,
                        /* Translators: the journal's file name */
                        _("The journal %s cannot be used: "), path);
      g_propagate_error (error, g_steal_pointer (&local_error));
    }
  return journal;
}

static void
hoga_session_dispose (GObject *object)
{
  HogaSession *self = HOGA_SESSION (object);

  g_clear_object (&self->engine);
  g_clear_object (&self->broker);
  g_clear_object (&self->journal);
  g_clear_object (&self->exchange);

  G_OBJECT_CLASS (hoga_session_parent_class)->dispose (object);
}

static void
hoga_session_finalize (GObject *object)
{
  HogaSession *self = HOGA_SESSION (object);

  g_free (self->profile);
  g_free (self->exchange_program);
  g_clear_pointer (&self->settings, hoga_settings_free);
  g_clear_pointer (&self->credentials, hoga_credentials_free);

  G_OBJECT_CLASS (hoga_session_parent_class)->finalize (object);
}

static void
hoga_session_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  HogaSession *self = HOGA_SESSION (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hoga_session_class_init (HogaSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hoga_session_dispose;
  object_class->finalize = hoga_session_finalize;
  object_class->get_property = hoga_session_get_property;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, HOGA_TYPE_ENGINE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[MILESTONE] =
    g_signal_new ("milestone", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_STRING, G_TYPE_STRING);
  signals[ENGINE_LOG] =
    g_signal_new ("engine-log", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_STRING, G_TYPE_STRING);
  signals[PROBLEM] =
    g_signal_new ("problem", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[EXCHANGE_EXITED] =
    g_signal_new ("exchange-exited", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
hoga_session_init (HogaSession *self)
{
}

HogaSession *
hoga_session_new (const HogaSettings *settings)
{
  HogaSession *self;

  g_return_val_if_fail (settings != NULL, NULL);

  self = g_object_new (HOGA_TYPE_SESSION, NULL);
  self->settings = hoga_settings_copy (settings);
  self->profile = get_profile_nick (settings);
  return self;
}

gboolean
hoga_session_prepare (HogaSession  *self,
                      gboolean      real_money_confirmed,
                      GError      **error)
{
  g_return_val_if_fail (HOGA_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->journal == NULL, FALSE);

  if (self->settings->profile == HOGA_PROFILE_REAL && !real_money_confirmed)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                           _("The real profile sends real orders with real money: add "
                             "--i-understand-real-money to the command line to confirm"));
      return FALSE;
    }

  /* Before anything connects: without keys the mock or real server is never contacted. */
  if (self->settings->profile == HOGA_PROFILE_SIMULATED)
    {
      self->exchange_program = hoga_sim_exchange_find_program (error);
      if (self->exchange_program == NULL)
        return FALSE;
    }
  else
    {
      self->credentials = hoga_credentials_lookup (self->profile, error);
      if (self->credentials == NULL)
        return FALSE;
    }

  self->journal = open_journal (self->profile, error);
  return self->journal != NULL;
}

void
hoga_session_start_async (HogaSession         *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HOGA_IS_SESSION (self));
  g_return_if_fail (self->journal != NULL);
  g_return_if_fail (self->engine == NULL && self->exchange == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hoga_session_start_async);

  if (self->settings->profile == HOGA_PROFILE_REAL)
    milestone (self, G_LOG_LEVEL_WARNING, "real-money",
               _("REAL MONEY: profile real places real orders on your Kiwoom account"));

  switch (self->settings->profile)
    {
    case HOGA_PROFILE_SIMULATED:
      self->exchange = hoga_sim_exchange_new (self->exchange_program);
      hoga_sim_exchange_start_async (self->exchange, cancellable, exchange_start_cb,
                                     g_steal_pointer (&task));
      break;
    case HOGA_PROFILE_MOCK:
      start_engine (self, task, MOCK_REST_URL, MOCK_WS_URL,
                    self->credentials->appkey, self->credentials->secretkey);
      break;
    case HOGA_PROFILE_REAL:
      start_engine (self, task, REAL_REST_URL, REAL_WS_URL,
                    self->credentials->appkey, self->credentials->secretkey);
      break;
    case HOGA_PROFILE_CUSTOM:
    default:
      start_engine (self, task, self->settings->rest_url, self->settings->ws_url,
                    self->credentials->appkey, self->credentials->secretkey);
      break;
    }

  /* The broker keeps its own copy: one fewer place in memory holding the keys. */
  g_clear_pointer (&self->credentials, hoga_credentials_free);
}

gboolean
hoga_session_start_finish (HogaSession   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
hoga_session_stop_async (HogaSession         *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HOGA_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hoga_session_stop_async);

  if (self->engine == NULL)
    {
      hoga_session_terminate_exchange (self);
      g_task_return_boolean (task, TRUE);
      return;
    }
  hoga_engine_stop_async (self->engine, cancellable, stop_cb, g_steal_pointer (&task));
}

gboolean
hoga_session_stop_finish (HogaSession   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
hoga_session_terminate_exchange (HogaSession *self)
{
  g_return_if_fail (HOGA_IS_SESSION (self));

  if (self->exchange != NULL)
    hoga_sim_exchange_terminate (self->exchange);
}

const HogaSettings *
hoga_session_get_settings (HogaSession *self)
{
  g_return_val_if_fail (HOGA_IS_SESSION (self), NULL);

  return self->settings;
}

const char *
hoga_session_get_profile (HogaSession *self)
{
  g_return_val_if_fail (HOGA_IS_SESSION (self), NULL);

  return self->profile;
}

const char *
hoga_session_get_journal_path (HogaSession *self)
{
  g_return_val_if_fail (HOGA_IS_SESSION (self), NULL);

  return self->journal != NULL ? hoga_sqlite_journal_get_path (self->journal) : NULL;
}

HogaEngine *
hoga_session_get_engine (HogaSession *self)
{
  g_return_val_if_fail (HOGA_IS_SESSION (self), NULL);

  return self->engine;
}
