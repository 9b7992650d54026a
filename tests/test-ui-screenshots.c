/* test-ui-screenshots.c — the first run of the desktop app, photographed in one language
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs HogaApplication as `hoga` runs it: a fresh profile (empty XDG data dir, default
 * settings) opens on the simulated exchange it spawns. The test waits for a live market
 * and conditions in both drop-downs, turns automatic buying on with the window's own
 * action, waits for the first buys, and writes PNGs of the window, light at its default
 * size and dark at 1024×700, to screenshots/ in the build directory. meson runs it once in
 * Korean and once in English (LANGUAGE and LC_ALL); HOGA_TEST_LOCALEDIR is the build
 * tree's compiled translations.
 */
#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "fake-notifications.h"
#include "hoga-application.h"
#include "hoga-window-private.h"

#define WAIT_ENGINE_S 30
#define WAIT_BUYS_S   40

typedef struct {
  HogaApplication *application;
  HogaWindow      *window;
  const char      *language;
  char            *out_dir;
  guint            step;
  gint64           deadline_us;
  GPtrArray       *written;
  char            *failure;
} Run;

static void
fail (Run        *run,
      const char *message)
{
  if (run->failure == NULL && run->window != NULL)
    {
      g_autofree char *log = hoga_event_log_to_text (hoga_window_get_event_log (run->window));

      run->failure = g_strdup_printf ("%s; the event log:\n%s", message, log);
    }
  else if (run->failure == NULL)
    run->failure = g_strdup (message);
  g_application_quit (G_APPLICATION (run->application));
}

/* FALSE when the window drew nothing: GTK does not snapshot a widget whose relayout is
 * pending (the ticking prices queue one), so the script tries again on its next tick. */
static gboolean
save_png (Run        *run,
          const char *name)
{
  GtkWidget *widget = GTK_WIDGET (run->window);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  char *path;

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return FALSE;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  file = g_strdup_printf ("hoga-%s-%s.png", run->language, name);
  path = g_build_filename (run->out_dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("wrote %s (%d×%d)", path, width, height);
  g_ptr_array_add (run->written, path);
  return TRUE;
}

/* The strategy bar's condition drop-downs, buy first, in the order they appear. */
static void
find_condition_dropdowns (GtkWidget  *root,
                          guint       n_items,
                          GPtrArray  *found)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_DROP_DOWN (child)
          && gtk_drop_down_get_model (GTK_DROP_DOWN (child)) != NULL
          && g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (child))) == n_items)
        g_ptr_array_add (found, child);
      find_condition_dropdowns (child, n_items, found);
    }
}

/* What a newcomer does: picks a condition in a drop-down ("None" comes first). */
static void
pick_condition (GtkDropDown           *dropdown,
                HogaConditionRegistry *registry,
                const char            *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (registry)); i++)
    {
      g_autoptr(HogaCondition) condition = g_list_model_get_item (G_LIST_MODEL (registry), i);

      if (g_strcmp0 (hoga_condition_get_name (condition), name) == 0)
        {
          gtk_drop_down_set_selected (dropdown, i + 1);
          return;
        }
    }
  g_error ("the exchange has no condition “%s”", name);
}

static guint
n_buy_orders (HogaEngine *engine)
{
  GListModel *orders = G_LIST_MODEL (hoga_engine_get_order_book (engine));
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (orders); i++)
    {
      g_autoptr(HogaOrder) order = g_list_model_get_item (orders, i);

      n += hoga_order_get_side (order) == HOGA_SIDE_BUY
           && hoga_order_get_filled_qty (order) > 0;
    }
  return n;
}

/* One step of the script each tick, so the main loop keeps running the app. */
static gboolean
script_cb (gpointer user_data)
{
  Run *run = user_data;
  HogaEngine *engine;

  if (run->window == NULL)
    {
      GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (run->application));

      run->window = HOGA_IS_WINDOW (active) ? HOGA_WINDOW (active) : NULL;
      return G_SOURCE_CONTINUE;
    }

  if (g_get_monotonic_time () > run->deadline_us)
    {
      fail (run, run->step == 0 ? "the engine did not start in time"
                 : run->step == 1 ? "no buy was filled in time"
                 : "the window was not drawn in time");
      return G_SOURCE_REMOVE;
    }

  engine = hoga_window_get_engine (run->window);
  switch (run->step)
    {
    case 0:
      if (g_strcmp0 (hoga_window_get_page (run->window), "failed") == 0)
        {
          fail (run, "the window shows the failed page");
          return G_SOURCE_REMOVE;
        }
      if (engine == NULL
          || g_list_model_get_n_items (G_LIST_MODEL (hoga_engine_get_condition_registry (engine))) == 0)
        return G_SOURCE_CONTINUE;
      /* A newcomer's first actions: pick the conditions, switch automatic buying on. */
      {
        HogaConditionRegistry *registry = hoga_engine_get_condition_registry (engine);
        g_autoptr(GPtrArray) dropdowns = g_ptr_array_new ();

        find_condition_dropdowns (GTK_WIDGET (hoga_window_get_strategy_bar (run->window)),
                                  1 + g_list_model_get_n_items (G_LIST_MODEL (registry)),
                                  dropdowns);
        g_assert_cmpuint (dropdowns->len, ==, 2);
        pick_condition (g_ptr_array_index (dropdowns, 0), registry, "거래량 급증");
        pick_condition (g_ptr_array_index (dropdowns, 1), registry, "고점 대비 3% 하락");
      }
      g_assert_false (hoga_engine_get_auto_buy (engine));
      gtk_widget_activate_action (GTK_WIDGET (run->window), "trade.auto-buy", NULL);
      g_assert_true (hoga_engine_get_auto_buy (engine));
      run->deadline_us = g_get_monotonic_time () + WAIT_BUYS_S * G_USEC_PER_SEC;
      run->step++;
      return G_SOURCE_CONTINUE;

    case 1:
      if (n_buy_orders (engine) < 2)
        return G_SOURCE_CONTINUE;
      run->step++;
      /* A few more ticks so the frames show moving prices. */
      run->deadline_us = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
      return G_SOURCE_CONTINUE;

    case 2:
      if (g_get_monotonic_time () < run->deadline_us - G_USEC_PER_SEC)
        return G_SOURCE_CONTINUE;
      if (!save_png (run, "light"))
        return G_SOURCE_CONTINUE;
      adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                          ADW_COLOR_SCHEME_FORCE_DARK);
      gtk_window_unmaximize (GTK_WINDOW (run->window));
      gtk_window_set_default_size (GTK_WINDOW (run->window), 1024, 700);
      run->deadline_us = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
      run->step++;
      return G_SOURCE_CONTINUE;

    case 3:
      if (gtk_widget_get_width (GTK_WIDGET (run->window)) != 1024
          && g_get_monotonic_time () < run->deadline_us - G_USEC_PER_SEC)
        return G_SOURCE_CONTINUE;
      if (!save_png (run, "dark-1024x700"))
        return G_SOURCE_CONTINUE;
      g_action_group_activate_action (G_ACTION_GROUP (run->application), "quit", NULL);
      return G_SOURCE_REMOVE;

    default:
      g_assert_not_reached ();
    }
}

static void
startup_cb (GApplication *application,
            Run          *run)
{
  run->deadline_us = g_get_monotonic_time () + WAIT_ENGINE_S * G_USEC_PER_SEC;
  g_timeout_add (100, script_cb, run);
}

static void
test_first_run (void)
{
  const char *language = g_getenv ("HOGA_TEST_LANGUAGE");
  g_autofree char *data_home = g_dir_make_tmp ("hoga-screenshots-XXXXXX", NULL);
  char *argv[] = { (char *) "hoga", NULL };
  Run run = { 0 };
  FakeNotifications *notifications;
  int status;

  g_assert_nonnull (language);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  /* build-aux/test runs the UI tests in a private session bus; fills are announced. */
  notifications = fake_notifications_start ();
  g_assert_nonnull (notifications);

  run.language = language;
  run.out_dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "screenshots", NULL);
  run.written = g_ptr_array_new_with_free_func (g_free);
  g_mkdir_with_parents (run.out_dir, 0755);

  run.application = hoga_application_new ();
  g_signal_connect_after (run.application, "startup", G_CALLBACK (startup_cb), &run);
  status = g_application_run (G_APPLICATION (run.application), 1, argv);

  if (run.failure != NULL)
    g_error ("%s", run.failure);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (run.written->len, ==, 2);
  for (guint i = 0; i < run.written->len; i++)
    {
      g_autofree char *contents = NULL;
      gsize length = 0;

      g_assert_true (g_file_get_contents (g_ptr_array_index (run.written, i), &contents,
                                          &length, NULL));
      /* A blank or failed render compresses to a few kilobytes. */
      g_assert_cmpuint (length, >, 40 * 1024);
    }

  g_clear_object (&run.application);
  fake_notifications_stop (notifications);
  g_ptr_array_unref (run.written);
  g_free (run.out_dir);
  g_free (run.failure);
}

/* The translation is really in use: the window's strings are in the test's language. */
static void
test_language (void)
{
  const char *language = g_getenv ("HOGA_TEST_LANGUAGE");

  if (g_strcmp0 (language, "ko") == 0)
    {
      g_assert_cmpstr (_("Account"), ==, "계좌");
      g_assert_cmpstr (_("Auto _buy"), ==, "자동 매수(_B)");
    }
  else
    g_assert_cmpstr (_("Account"), ==, "Account");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("HOGA_TEST_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_skip ("no display: the UI tests run under Xvfb (build-aux/test)");
      return g_test_run ();
    }

  g_test_add_func ("/ui/screenshots/language", test_language);
  g_test_add_func ("/ui/screenshots/first-run", test_first_run);
  return g_test_run ();
}
