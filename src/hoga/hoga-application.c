/* hoga-application.c — the desktop program: one window, one engine session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DESIGN.md §6. The application owns the GSettings and the HogaSession; the window only
 * shows the engine it is given. The session starts when the window first appears (the
 * simulated profile on a first run) and stops, flushing the journal, before the program
 * exits: quitting holds the application until the engine has stopped.
 */
#define G_LOG_DOMAIN "hoga"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib-unix.h>

#include "hoga-application.h"
#include "hoga-connection-test.h"
#include "hoga-libsecret-store.h"
#include "hoga-preferences-window.h"
#include "hoga-session.h"
#include "hoga-settings.h"
#include "hoga-ui.h"
#include "hoga-window.h"

struct _HogaApplication {
  AdwApplication  parent_instance;

  GSettings      *settings;
  GPtrArray      *groups;          /* broker, strategy, risk: "changed" is per child */
  HogaSecretStore *secrets;
  HogaSession    *session;
  GCancellable   *cancellable;     /* the session's start */
  gboolean        quitting;
  gboolean        restarting;
  guint           sigint_id;
  guint           sigterm_id;
};

G_DEFINE_FINAL_TYPE (HogaApplication, hoga_application, ADW_TYPE_APPLICATION)

static void start_session (HogaApplication *self);

static HogaWindow *
get_window (HogaApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  return HOGA_IS_WINDOW (window) ? HOGA_WINDOW (window) : NULL;
}

static void
log_to_window (HogaApplication *self,
               GLogLevelFlags   level,
               const char      *code,
               const char      *message)
{
  HogaWindow *window = get_window (self);
  g_autoptr(GDateTime) now = NULL;

  /* A copy for the system journal; the user reads it in the window, so it never aborts a
   * G_DEBUG=fatal-warnings run. */
  g_log_structured (G_LOG_DOMAIN, MAX (level, G_LOG_LEVEL_MESSAGE), "MESSAGE", "%s", message);
  if (window == NULL)
    return;
  now = hoga_session_get_engine (self->session) != NULL
        ? hoga_engine_now (hoga_session_get_engine (self->session))
        : g_date_time_new_now_local ();
  hoga_window_add_log (window, now, level, code, message);
}

static void
session_milestone_cb (HogaSession *session,
                      guint        level,
                      const char  *event,
                      const char  *message,
                      gpointer     user_data)
{
  log_to_window (user_data, level, NULL, message);
}

static void
engine_log_cb (HogaSession *session,
               guint        level,
               const char  *code,
               const char  *message,
               gpointer     user_data)
{
  HogaApplication *self = user_data;
  HogaWindow *window = get_window (self);
  g_autoptr(GDateTime) now = hoga_engine_now (hoga_session_get_engine (session));

  if (window != NULL)
    hoga_window_add_log (window, now, level, code, message);
}

static void
problem_cb (HogaSession  *session,
            const GError *problem,
            gpointer      user_data)
{
  HogaApplication *self = user_data;
  HogaWindow *window = get_window (self);

  log_to_window (self, G_LOG_LEVEL_CRITICAL, NULL, problem->message);
  if (window != NULL)
    hoga_window_show_problem (window, problem->message);
}

static void
exchange_exited_cb (HogaSession *session,
                    const char  *reason,
                    gpointer     user_data)
{
  HogaApplication *self = user_data;
  HogaWindow *window = get_window (self);
  g_autofree char *message = NULL;

  if (self->quitting || self->restarting)
    return;
  message = g_strdup_printf (_("The simulated exchange stopped: %s"), reason);
  log_to_window (self, G_LOG_LEVEL_CRITICAL, NULL, message);
  if (window != NULL)
    hoga_window_show_failed (window, message);
}

static void
session_start_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(HogaApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  HogaWindow *window = get_window (self);

  if (!hoga_session_start_finish (HOGA_SESSION (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      log_to_window (self, G_LOG_LEVEL_CRITICAL, NULL, error->message);
      if (window != NULL)
        hoga_window_show_failed (window, error->message);
      return;
    }

  if (window != NULL)
    hoga_window_set_engine (window, hoga_session_get_engine (self->session));
}

static void
start_session (HogaApplication *self)
{
  g_autoptr(HogaSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  HogaWindow *window = get_window (self);

  g_assert (self->session == NULL);
  g_assert (window != NULL);

  settings = hoga_settings_load_gsettings (self->settings, &error);
  if (settings == NULL)
    {
      hoga_window_show_failed (window, error->message);
      return;
    }

  hoga_window_set_profile (window, settings->profile);
  self->session = hoga_session_new (settings);
  g_signal_connect_object (self->session, "milestone", G_CALLBACK (session_milestone_cb),
                           self, 0);
  g_signal_connect_object (self->session, "engine-log", G_CALLBACK (engine_log_cb), self, 0);
  g_signal_connect_object (self->session, "problem", G_CALLBACK (problem_cb), self, 0);
  g_signal_connect_object (self->session, "exchange-exited", G_CALLBACK (exchange_exited_cb),
                           self, 0);

  /* The desktop's confirmation of the real profile is the typed one in Preferences. */
  if (!hoga_session_prepare (self->session, TRUE, &error))
    {
      log_to_window (self, G_LOG_LEVEL_CRITICAL, NULL, error->message);
      hoga_window_show_failed (window, error->message);
      return;
    }

  hoga_window_show_starting (window,
                             settings->profile == HOGA_PROFILE_SIMULATED
                             ? _("Starting the simulated exchange…")
                             : _("Connecting to Kiwoom…"));
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  hoga_session_start_async (self->session, self->cancellable, session_start_cb,
                            g_object_ref (self));
}

/* Stops the engine, flushing the journal, and then calls @then. */
static void
stop_session (HogaApplication *self,
              GAsyncReadyCallback then)
{
  HogaWindow *window = get_window (self);

  g_cancellable_cancel (self->cancellable);
  if (window != NULL)
    hoga_window_set_engine (window, NULL);
  g_application_hold (G_APPLICATION (self));
  hoga_session_stop_async (self->session, NULL, then, g_object_ref (self));
}

static void
stopped_for_quit_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(HogaApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!hoga_session_stop_finish (HOGA_SESSION (source), result, &error))
    g_warning ("The engine did not stop cleanly: %s", error->message);
  g_clear_object (&self->session);
  g_application_release (G_APPLICATION (self));
  g_application_quit (G_APPLICATION (self));
}

static void
stopped_for_restart_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(HogaApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!hoga_session_stop_finish (HOGA_SESSION (source), result, &error))
    g_warning ("The engine did not stop cleanly: %s", error->message);
  g_clear_object (&self->session);
  self->restarting = FALSE;
  g_application_release (G_APPLICATION (self));
  if (!self->quitting && get_window (self) != NULL)
    start_session (self);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  HogaApplication *self = user_data;

  if (self->quitting)
    return;
  self->quitting = TRUE;
  if (self->session == NULL)
    {
      g_application_quit (G_APPLICATION (self));
      return;
    }
  stop_session (self, stopped_for_quit_cb);
}

static void
restart_engine_activated (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  HogaApplication *self = user_data;

  if (self->quitting || self->restarting)
    return;
  if (self->session == NULL)
    {
      start_session (self);
      return;
    }
  self->restarting = TRUE;
  stop_session (self, stopped_for_restart_cb);
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  HogaApplication *self = user_data;
  static const char *developers[] = { "The Hoga developers", NULL };
  AdwAboutWindow *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-icon", APP_ID,
                        "application-name", _("Hoga"),
                        "developer-name", _("The Hoga developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Condition-search trading with trailing stops for Kiwoom, "
                                      "on the GNOME desktop"),
                        "developers", developers,
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
connection_tested_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(HogaPreferencesWindow) preferences = user_data;
  g_autoptr(GError) error = NULL;

  if (hoga_connection_test_finish (result, &error))
    hoga_preferences_window_show_test_result (preferences, TRUE,
                                              _("Connected: the server accepted the keys"));
  else
    hoga_preferences_window_show_test_result (preferences, FALSE, error->message);
}

static void
test_connection_cb (HogaPreferencesWindow *preferences,
                    const char            *profile,
                    const char            *appkey,
                    const char            *secretkey,
                    gpointer               user_data)
{
  HogaApplication *self = user_data;
  g_autoptr(GSettings) broker = g_settings_get_child (self->settings, "broker");
  g_autofree char *custom_url = g_settings_get_string (broker, "rest-url");

  hoga_connection_test_async (profile, hoga_connection_test_get_rest_url (profile, custom_url),
                              appkey, secretkey, NULL, connection_tested_cb,
                              g_object_ref (preferences));
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  HogaApplication *self = user_data;
  HogaPreferencesWindow *preferences;

  preferences = hoga_preferences_window_new (self->settings, self->secrets);
  gtk_window_set_transient_for (GTK_WINDOW (preferences),
                                gtk_application_get_active_window (GTK_APPLICATION (self)));
  g_signal_connect_object (preferences, "test-connection", G_CALLBACK (test_connection_cb),
                           self, 0);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
settings_changed_cb (GSettings  *settings,
                     const char *key,
                     gpointer    user_data)
{
  HogaApplication *self = user_data;
  HogaEngine *engine = self->session != NULL ? hoga_session_get_engine (self->session) : NULL;
  HogaWindow *window = get_window (self);
  g_autoptr(HogaSettings) loaded = NULL;
  g_autoptr(GError) error = NULL;

  if (engine == NULL || window == NULL)
    return;

  loaded = hoga_settings_load_gsettings (self->settings, &error);
  if (loaded == NULL || !hoga_engine_apply_settings (engine, loaded, &error))
    {
      hoga_window_show_problem (window, error->message);
      return;
    }
  if (!hoga_settings_broker_equal (loaded, hoga_session_get_settings (self->session)))
    hoga_window_offer_restart (window,
                               _("The connection settings changed: restart the engine to use "
                                 "them"));
}

/* Ctrl+C in the terminal that started it, or a session logout: the same clean quit as
 * the Quit action, journal flushed. */
static gboolean
quit_signal_cb (gpointer user_data)
{
  g_action_group_activate_action (G_ACTION_GROUP (user_data), "quit", NULL);
  return G_SOURCE_CONTINUE;
}

static void
hoga_application_activate (GApplication *application)
{
  HogaApplication *self = HOGA_APPLICATION (application);
  HogaWindow *window = get_window (self);

  if (window == NULL)
    {
      window = hoga_window_new (ADW_APPLICATION (self), self->settings);
      gtk_window_present (GTK_WINDOW (window));
      start_session (self);
      return;
    }
  gtk_window_present (GTK_WINDOW (window));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "about", about_activated },
  { "restart-engine", restart_engine_activated },
  { "preferences", preferences_activated },
};

/* The settings the engine reads; window-state is the window's own. */
static const char * const engine_groups[] = { "broker", "strategy", "risk" };

static void
hoga_application_startup (GApplication *application)
{
  HogaApplication *self = HOGA_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (hoga_application_parent_class)->startup (application);

  hoga_ui_init ();
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);

  self->secrets = HOGA_SECRET_STORE (hoga_libsecret_store_new ());
  self->sigint_id = g_unix_signal_add (SIGINT, quit_signal_cb, self);
  self->sigterm_id = g_unix_signal_add (SIGTERM, quit_signal_cb, self);

  self->settings = g_settings_new (APP_ID);
  self->groups = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < G_N_ELEMENTS (engine_groups); i++)
    {
      GSettings *group = g_settings_get_child (self->settings, engine_groups[i]);

      g_signal_connect_object (group, "changed", G_CALLBACK (settings_changed_cb), self, 0);
      g_ptr_array_add (self->groups, group);
    }
}

static void
hoga_application_dispose (GObject *object)
{
  HogaApplication *self = HOGA_APPLICATION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->sigint_id, g_source_remove);
  g_clear_handle_id (&self->sigterm_id, g_source_remove);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->secrets);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (hoga_application_parent_class)->dispose (object);
}

static void
hoga_application_class_init (HogaApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = hoga_application_dispose;
  application_class->activate = hoga_application_activate;
  application_class->startup = hoga_application_startup;
}

static void
hoga_application_init (HogaApplication *self)
{
  /* Before the startup that reads style.css and gtk/help-overlay.ui from them. */
  hoga_ui_register_resources ();
}

HogaApplication *
hoga_application_new (void)
{
  return g_object_new (HOGA_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/hoga/Hoga",
                       NULL);
}
