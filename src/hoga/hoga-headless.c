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

#include "hoga-engine.h"
#include "hoga-headless.h"
#include "hoga-json-log.h"
#include "hoga-session.h"
#include "hoga-settings.h"

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
  HogaSession        *session;
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

static void
finish (HogaHeadless *self)
{
  hoga_session_terminate_exchange (self->session);
  g_main_loop_quit (self->loop);
}

static void
stop_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(HogaHeadless) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!hoga_session_stop_finish (HOGA_SESSION (source), result, &error))
    {
      log_event (G_LOG_LEVEL_CRITICAL, "engine-stop-failed",
                 _("The engine did not stop cleanly: %s"), error->message);
      self->exit_status = EXIT_FAILURE;
    }
  else if (hoga_session_get_engine (self->session) != NULL)
    log_event (G_LOG_LEVEL_INFO, "engine-stopped",
               _("Stopped: the journal is written and closed"));

  finish (self);
}

/* Also after a failed or cancelled start: the engine closes the journal either way. */
static void
stop_session (HogaHeadless *self)
{
  hoga_session_stop_async (self->session, NULL, stop_cb, g_object_ref (self));
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
    stop_session (self);
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
      hoga_session_terminate_exchange (self->session);
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
session_milestone_cb (HogaSession *session,
                      guint        level,
                      const char  *event,
                      const char  *message,
                      gpointer     user_data)
{
  hoga_json_log_message (G_LOG_DOMAIN, level, event, NULL, message);
}

static void
engine_log_cb (HogaSession *session,
               guint        level,
               const char  *code,
               const char  *message,
               gpointer     user_data)
{
  hoga_json_log_message (ENGINE_DOMAIN, level, NULL, code, message);
}

static void
engine_problem_cb (HogaSession  *session,
                   const GError *problem,
                   gpointer      user_data)
{
  hoga_json_log_message (ENGINE_DOMAIN, G_LOG_LEVEL_CRITICAL, "problem", NULL,
                         problem->message);
}

static void
exchange_exited_cb (HogaSession *session,
                    const char  *reason,
                    gpointer     user_data)
{
  HogaHeadless *self = user_data;

  log_event (G_LOG_LEVEL_CRITICAL, "exchange-exited",
             _("The simulated exchange stopped, so the engine stops too: %s"), reason);
  self->exit_status = EXIT_FAILURE;
  if (self->state != STATE_STOPPING)
    request_stop (self);
}

static void
log_start_failure (HogaHeadless *self,
                   const GError *error)
{
  if (hoga_session_get_engine (self->session) == NULL)
    log_event (G_LOG_LEVEL_CRITICAL, "exchange-failed", "%s", error->message);
  else
    log_event (G_LOG_LEVEL_CRITICAL, "engine-start-failed",
               _("The engine could not start: %s"), error->message);
}

static void
session_start_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(HogaHeadless) self = user_data;
  g_autoptr(GError) error = NULL;
  HogaEngine *engine;

  if (!hoga_session_start_finish (self->session, result, &error))
    {
      if (self->state != STATE_STOPPING)
        {
          log_start_failure (self, error);
          self->exit_status = EXIT_FAILURE;
          self->state = STATE_STOPPING;
        }
      stop_session (self);
      return;
    }

  if (self->state == STATE_STOPPING)
    {
      stop_session (self);
      return;
    }

  self->state = STATE_RUNNING;
  /* The engine starts with automatic buying off whatever the settings say; headless
   * follows its configuration file (DESIGN.md §4 "Restart"). The engine logs the switch. */
  engine = hoga_session_get_engine (self->session);
  hoga_engine_set_auto_buy (engine, self->settings->auto_buy);
  log_event (G_LOG_LEVEL_INFO, "engine-started",
             /* Translators: the profile's name (not translated) */
             _("Running on profile %s: SIGINT or SIGTERM stops"),
             hoga_session_get_profile (self->session));
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

static void
hoga_headless_dispose (GObject *object)
{
  HogaHeadless *self = HOGA_HEADLESS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->sigint_id, g_source_remove);
  g_clear_handle_id (&self->sigterm_id, g_source_remove);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->loop, g_main_loop_unref);

  G_OBJECT_CLASS (hoga_headless_parent_class)->dispose (object);
}

static void
hoga_headless_finalize (GObject *object)
{
  HogaHeadless *self = HOGA_HEADLESS (object);

  g_free (self->config_file);
  g_clear_pointer (&self->settings, hoga_settings_free);

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
  g_return_val_if_fail (HOGA_IS_HEADLESS (self), FALSE);
  g_return_val_if_fail (self->settings == NULL, FALSE);

  self->settings = load_settings (self->config_file, error);
  if (self->settings == NULL)
    return FALSE;

  self->session = hoga_session_new (self->settings);
  g_signal_connect_object (self->session, "milestone",
                           G_CALLBACK (session_milestone_cb), self, 0);
  g_signal_connect_object (self->session, "engine-log", G_CALLBACK (engine_log_cb), self, 0);
  g_signal_connect_object (self->session, "problem", G_CALLBACK (engine_problem_cb), self, 0);
  g_signal_connect_object (self->session, "exchange-exited",
                           G_CALLBACK (exchange_exited_cb), self, 0);

  return hoga_session_prepare (self->session, self->real_money_confirmed, error);
}

int
hoga_headless_run (HogaHeadless *self)
{
  g_return_val_if_fail (HOGA_IS_HEADLESS (self), EXIT_FAILURE);
  g_return_val_if_fail (hoga_session_get_journal_path (self->session) != NULL, EXIT_FAILURE);
  g_return_val_if_fail (self->loop == NULL, EXIT_FAILURE);

  self->loop = g_main_loop_new (NULL, FALSE);
  self->sigint_id = g_unix_signal_add (SIGINT, sigint_cb, self);
  self->sigterm_id = g_unix_signal_add (SIGTERM, sigterm_cb, self);

  log_event (G_LOG_LEVEL_INFO, "starting",
             /* Translators: the profile's name (not translated), then a file name */
             _("Starting on profile %s; journal %s"),
             hoga_session_get_profile (self->session),
             hoga_session_get_journal_path (self->session));
  if (self->config_file == NULL)
    log_event (G_LOG_LEVEL_INFO, "default-settings",
               _("No configuration file given: using the defaults, automatic buying off"));

  hoga_session_start_async (self->session, self->cancellable, session_start_cb,
                            g_object_ref (self));
  g_main_loop_run (self->loop);

  g_clear_handle_id (&self->sigint_id, g_source_remove);
  g_clear_handle_id (&self->sigterm_id, g_source_remove);
  return self->exit_status;
}
