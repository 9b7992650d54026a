/* hoga-headless.c — the engine without a window: config file in, JSON lines out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DESIGN.md §7. Every check that needs no network runs before the main loop (a bad key,
 * missing credentials or a refused journal stop the program before anything connects);
 * then the simulated profile spawns its exchange, the engine starts, and a first SIGINT or
 * SIGTERM stops it, waiting for the journal to be flushed and closed. A second signal
 * during that stop exits at once: the journal is durable before every send, so nothing
 * is lost, but the exit status says the stop was not clean.
 *
 * Startup problems go to stderr as plain text; once running, everything is a JSON line on
 * stdout (hoga-json-log.c), including the engine's ::log and ::problem signals.
 */
#define G_LOG_DOMAIN "hoga"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib-unix.h>

#include "hoga-credentials.h"
#include "hoga-engine.h"
#include "hoga-headless.h"
#include "hoga-krx.h"
#include "hoga-json-log.h"
#include "hoga-settings.h"
#include "hoga-sim-exchange.h"
#include "hoga-sqlite-journal.h"
#include "kiwoom-broker.h"

/* DESIGN.md §3 */
#define MOCK_REST_URL "https://mockapi.kiwoom.com"
#define MOCK_WS_URL   "wss://mockapi.kiwoom.com:10000/api/dostk/websocket"
#define REAL_REST_URL "https://api.kiwoom.com"
#define REAL_WS_URL   "wss://api.kiwoom.com:10000/api/dostk/websocket"

/* The engine's lines are in its own domain, whatever file inside it logged them. */
#define ENGINE_DOMAIN "hoga-engine"

typedef enum {
  STATE_STARTING,
  STATE_RUNNING,
  STATE_STOPPING,
} State;

struct _HogaHeadless {
  GObject             parent_instance;

  char               *config_file;
  gboolean            real_money_confirmed;

  HogaSettings       *settings;
  char               *profile;          /* the profile's nick */
  HogaCredentials    *credentials;      /* until the broker has them; never simulated */
  char               *exchange_program; /* the simulated profile only */
  HogaSqliteJournal  *journal;

  HogaSimExchange    *exchange;
  KiwoomBroker       *broker;
  HogaEngine         *engine;
  GCancellable       *cancellable;      /* the start, cancelled by a stop request */
  GMainLoop          *loop;
  guint               sigint_id;
  guint               sigterm_id;
  State               state;
  int                 exit_status;
};

G_DEFINE_FINAL_TYPE (HogaHeadless, hoga_headless, G_TYPE_OBJECT)

static void
log_event (GLogLevelFlags  level,
           const char     *event,
           const char     *format,
           ...) G_GNUC_PRINTF (3, 4);

/* One of the program's own milestones, named by @event. */
static void
log_event (GLogLevelFlags  level,
           const char     *event,
           const char     *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  hoga_json_log_message (G_LOG_DOMAIN, level, event, NULL, message);
}

static GDateTime *
engine_clock_cb (gpointer user_data)
{
  return hoga_sim_exchange_now (HOGA_SIM_EXCHANGE (user_data));
}

#ifdef HOGA_ENABLE_CRASH_POINTS
/* The crash tests run the engine at a set session time with an exchange started at the
 * same time, so they need not wait for market hours. Only builds with crash points read
 * HOGA_TEST_CLOCK ("YYYY-MM-DD HH:MM:SS", KST); a release never does. */
typedef struct {
  GDateTime *start;
  gint64     started_us;
} TestClock;

static GDateTime *
test_clock_cb (gpointer user_data)
{
  TestClock *clock = user_data;

  return g_date_time_add (clock->start, g_get_monotonic_time () - clock->started_us);
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
  hoga_engine_set_clock (engine, test_clock_cb, clock, test_clock_free);
}
#endif

static void
finish (HogaHeadless *self)
{
  if (self->exchange != NULL)
    hoga_sim_exchange_terminate (self->exchange);
  g_main_loop_quit (self->loop);
}

static void
stop_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(HogaHeadless) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!hoga_engine_stop_finish (HOGA_ENGINE (source), result, &error))
    {
      log_event (G_LOG_LEVEL_CRITICAL, "engine-stop-failed",
                 _("The engine did not stop cleanly: %s"), error->message);
      self->exit_status = EXIT_FAILURE;
    }
  else
    log_event (G_LOG_LEVEL_INFO, "engine-stopped",
               _("Stopped: the journal is written and closed"));

  finish (self);
}

/* Also after a failed or cancelled start: the engine closes the journal either way. */
static void
stop_engine (HogaHeadless *self)
{
  if (self->engine == NULL)
    {
      finish (self);
      return;
    }
  hoga_engine_stop_async (self->engine, NULL, stop_cb, g_object_ref (self));
}

/* A stop asked for while something is starting takes effect when that start completes. */
static void
request_stop (HogaHeadless *self)
{
  State previous = self->state;

  self->state = STATE_STOPPING;
  if (previous == STATE_STARTING)
    g_cancellable_cancel (self->cancellable);
  else
    stop_engine (self);
}

static gboolean
signal_cb (HogaHeadless *self,
           const char   *name)
{
  if (self->state == STATE_STOPPING)
    {
      log_event (G_LOG_LEVEL_WARNING, "forced-exit",
                 /* Translators: a signal's name, SIGINT or SIGTERM */
                 _("%s again while stopping: exiting now without waiting for the engine. "
                   "Every order sent is in the journal and is reconciled at the next start"),
                 name);
      if (self->exchange != NULL)
        hoga_sim_exchange_terminate (self->exchange);
      /* Not through the main loop: whatever the stop is waiting for could block it. */
      exit (EXIT_FAILURE);
    }

  log_event (G_LOG_LEVEL_INFO, "stopping",
             /* Translators: a signal's name, SIGINT or SIGTERM */
             _("%s received: stopping (send it again to exit at once)"), name);
  request_stop (self);
  return G_SOURCE_CONTINUE;
}

static gboolean
sigint_cb (gpointer user_data)
{
  return signal_cb (user_data, "SIGINT");
}

static gboolean
sigterm_cb (gpointer user_data)
{
  return signal_cb (user_data, "SIGTERM");
}

static void
engine_log_cb (HogaEngine *engine,
               guint       level,
               const char *code,
               const char *message,
               gpointer    user_data)
{
  hoga_json_log_message (ENGINE_DOMAIN, level, NULL, code, message);
}

static void
engine_problem_cb (HogaEngine   *engine,
                   const GError *problem,
                   gpointer      user_data)
{
  hoga_json_log_message (ENGINE_DOMAIN, G_LOG_LEVEL_CRITICAL, "problem", NULL,
                         problem->message);
}

static void
exchange_exited_cb (HogaSimExchange *exchange,
                    const char      *reason,
                    gpointer         user_data)
{
  HogaHeadless *self = user_data;

  log_event (G_LOG_LEVEL_CRITICAL, "exchange-exited",
             _("The simulated exchange stopped, so the engine stops too: %s"), reason);
  self->exit_status = EXIT_FAILURE;
  if (self->state != STATE_STOPPING)
    request_stop (self);
}

static void
engine_start_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(HogaHeadless) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!hoga_engine_start_finish (self->engine, result, &error))
    {
      if (self->state != STATE_STOPPING)
        {
          log_event (G_LOG_LEVEL_CRITICAL, "engine-start-failed",
                     _("The engine could not start: %s"), error->message);
          self->exit_status = EXIT_FAILURE;
          self->state = STATE_STOPPING;
        }
      stop_engine (self);
      return;
    }

  if (self->state == STATE_STOPPING)
    {
      stop_engine (self);
      return;
    }

  self->state = STATE_RUNNING;
  /* The engine starts with automatic buying off whatever the settings say; headless
   * follows its configuration file (DESIGN.md §4 "Restart"). The engine logs the switch. */
  hoga_engine_set_auto_buy (self->engine, self->settings->auto_buy);
  log_event (G_LOG_LEVEL_INFO, "engine-started",
             /* Translators: the profile's name (not translated) */
             _("Running on profile %s: SIGINT or SIGTERM stops"), self->profile);
}

static void
start_engine (HogaHeadless *self,
              const char   *rest_url,
              const char   *ws_url,
              const char   *appkey,
              const char   *secretkey)
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
    hoga_engine_set_clock (self->engine, engine_clock_cb, g_object_ref (self->exchange),
                           g_object_unref);
#ifdef HOGA_ENABLE_CRASH_POINTS
  else
    apply_test_clock (self->engine);
#endif

  /* Only the host: the URL is not secret, but a custom one may carry a path or query
   * the user did not mean to publish in a log. */
  {
    g_autoptr(GUri) uri = g_uri_parse (rest_url, G_URI_FLAGS_NONE, NULL);

    log_event (G_LOG_LEVEL_INFO, "connecting",
               /* Translators: a host name or address */
               _("Connecting to %s"), uri != NULL ? g_uri_get_host (uri) : "?");
  }

  hoga_engine_start_async (self->engine, self->cancellable, engine_start_cb,
                           g_object_ref (self));
}

static void
exchange_start_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(HogaHeadless) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!hoga_sim_exchange_start_finish (self->exchange, result, &error))
    {
      if (self->state != STATE_STOPPING)
        {
          log_event (G_LOG_LEVEL_CRITICAL, "exchange-failed",
                     _("The simulated exchange could not start: %s"), error->message);
          self->exit_status = EXIT_FAILURE;
          self->state = STATE_STOPPING;
        }
      finish (self);
      return;
    }

  if (self->state == STATE_STOPPING)
    {
      finish (self);
      return;
    }

  {
    g_autoptr(GDateTime) now = hoga_sim_exchange_now (self->exchange);
    g_autofree char *shown = g_date_time_format (now, "%Y-%m-%d %H:%M:%S");

    log_event (G_LOG_LEVEL_INFO, "exchange-ready",
               /* Translators: a date and time in Korea */
               _("Simulated exchange ready; its session clock reads %s KST"), shown);
  }

  g_signal_connect_object (self->exchange, "exited", G_CALLBACK (exchange_exited_cb), self, 0);
  start_engine (self,
                hoga_sim_exchange_get_rest_url (self->exchange),
                hoga_sim_exchange_get_ws_url (self->exchange),
                HOGA_SIM_EXCHANGE_APPKEY, HOGA_SIM_EXCHANGE_SECRETKEY);
}

static void
start (HogaHeadless *self)
{
  switch (self->settings->profile)
    {
    case HOGA_PROFILE_SIMULATED:
      self->exchange = hoga_sim_exchange_new (self->exchange_program);
      hoga_sim_exchange_start_async (self->exchange, self->cancellable, exchange_start_cb,
                                     g_object_ref (self));
      break;
    case HOGA_PROFILE_MOCK:
      start_engine (self, MOCK_REST_URL, MOCK_WS_URL,
                    self->credentials->appkey, self->credentials->secretkey);
      break;
    case HOGA_PROFILE_REAL:
      start_engine (self, REAL_REST_URL, REAL_WS_URL,
                    self->credentials->appkey, self->credentials->secretkey);
      break;
    case HOGA_PROFILE_CUSTOM:
    default:
      start_engine (self, self->settings->rest_url, self->settings->ws_url,
                    self->credentials->appkey, self->credentials->secretkey);
      break;
    }

  /* The broker keeps its own copy: one fewer place in memory holding the keys. */
  g_clear_pointer (&self->credentials, hoga_credentials_free);
}

static HogaSettings *
load_settings (const char  *config_file,
               GError     **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  HogaSettings *settings;

  if (config_file == NULL)
    return hoga_settings_new ();

  if (!g_key_file_load_from_file (key_file, config_file, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   /* Translators: a file name, then the reason */
                   _("Cannot read the configuration file %s: %s"),
                   config_file, local_error->message);
      return NULL;
    }

  settings = hoga_settings_load_key_file (key_file, error);
  if (settings == NULL)
    g_prefix_error (error, "%s: ", config_file);
  return settings;
}

static char *
get_profile_nick (const HogaSettings *settings)
{
  g_autoptr(GVariant) value = hoga_settings_get_value (settings, "broker", "profile");

  return g_variant_dup_string (value, NULL);
}

static void
hoga_headless_dispose (GObject *object)
{
  HogaHeadless *self = HOGA_HEADLESS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->sigint_id, g_source_remove);
  g_clear_handle_id (&self->sigterm_id, g_source_remove);
  g_clear_object (&self->engine);
  g_clear_object (&self->broker);
  g_clear_object (&self->journal);
  g_clear_object (&self->exchange);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->loop, g_main_loop_unref);

  G_OBJECT_CLASS (hoga_headless_parent_class)->dispose (object);
}

static void
hoga_headless_finalize (GObject *object)
{
  HogaHeadless *self = HOGA_HEADLESS (object);

  g_free (self->config_file);
  g_free (self->profile);
  g_free (self->exchange_program);
  g_clear_pointer (&self->settings, hoga_settings_free);
  g_clear_pointer (&self->credentials, hoga_credentials_free);

  G_OBJECT_CLASS (hoga_headless_parent_class)->finalize (object);
}

static void
hoga_headless_class_init (HogaHeadlessClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hoga_headless_dispose;
  object_class->finalize = hoga_headless_finalize;
}

static void
hoga_headless_init (HogaHeadless *self)
{
  self->cancellable = g_cancellable_new ();
  self->state = STATE_STARTING;
  self->exit_status = EXIT_SUCCESS;
}

HogaHeadless *
hoga_headless_new (const char *config_file,
                   gboolean    real_money_confirmed)
{
  HogaHeadless *self = g_object_new (HOGA_TYPE_HEADLESS, NULL);

  self->config_file = g_strdup (config_file);
  self->real_money_confirmed = real_money_confirmed;
  return self;
}

gboolean
hoga_headless_prepare (HogaHeadless  *self,
                       GError       **error)
{
  g_autofree char *journal_path = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (HOGA_IS_HEADLESS (self), FALSE);
  g_return_val_if_fail (self->settings == NULL, FALSE);

  self->settings = load_settings (self->config_file, error);
  if (self->settings == NULL)
    return FALSE;
  self->profile = get_profile_nick (self->settings);

  if (self->settings->profile == HOGA_PROFILE_REAL && !self->real_money_confirmed)
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

  journal_path = hoga_sqlite_journal_default_path (self->profile);
  self->journal = hoga_sqlite_journal_open (journal_path, &local_error);
  if (self->journal == NULL)
    {
      /* Most of the journal's errors name the file already. */
      if (strstr (local_error->message, journal_path) == NULL)
        g_prefix_error (&local_error,
                        /* Translators: the journal's file name */
                        _("The journal %s cannot be used: "), journal_path);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

int
hoga_headless_run (HogaHeadless *self)
{
  g_return_val_if_fail (HOGA_IS_HEADLESS (self), EXIT_FAILURE);
  g_return_val_if_fail (self->journal != NULL, EXIT_FAILURE);
  g_return_val_if_fail (self->loop == NULL, EXIT_FAILURE);

  self->loop = g_main_loop_new (NULL, FALSE);
  self->sigint_id = g_unix_signal_add (SIGINT, sigint_cb, self);
  self->sigterm_id = g_unix_signal_add (SIGTERM, sigterm_cb, self);

  if (self->settings->profile == HOGA_PROFILE_REAL)
    log_event (G_LOG_LEVEL_WARNING, "real-money",
               _("REAL MONEY: profile real places real orders on your Kiwoom account"));

  log_event (G_LOG_LEVEL_INFO, "starting",
             /* Translators: the profile's name (not translated), then a file name */
             _("Starting on profile %s; journal %s"), self->profile,
             hoga_sqlite_journal_get_path (self->journal));
  if (self->config_file == NULL)
    log_event (G_LOG_LEVEL_INFO, "default-settings",
               _("No configuration file given: using the defaults, automatic buying off"));

  start (self);
  g_main_loop_run (self->loop);

  g_clear_handle_id (&self->sigint_id, g_source_remove);
  g_clear_handle_id (&self->sigterm_id, g_source_remove);
  return self->exit_status;
}
