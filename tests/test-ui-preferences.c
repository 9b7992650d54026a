/* test-ui-preferences.c — the preferences window: bindings, checks, the real-profile
 * confirmation and the keys going through the secret store port
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Under Xvfb, with each test's own memory settings backend and an in-memory secret store
 * implementing the port (test-secret-store.c covers the libsecret adapter).
 */
#include "config.h"

#include <string.h>

#include <adwaita.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "hoga-preferences-window-private.h"
#include "hoga-settings.h"
#include "hoga-ui.h"

#define SCHEMA_ID HOGA_SETTINGS_SCHEMA_ID

/* ---------------------------------------------------------------------------------- */
/* An in-memory secret store                                                            */

#define TEST_TYPE_SECRET_STORE (test_secret_store_get_type ())
G_DECLARE_FINAL_TYPE (TestSecretStore, test_secret_store, TEST, SECRET_STORE, GObject)

struct _TestSecretStore
{
  GObject     parent_instance;

  GHashTable *appkeys;     /* profile → key */
  GHashTable *secretkeys;
  gboolean    no_service;
  guint       n_lookups;
  guint       n_stores;
  guint       n_clears;
};

static void test_secret_store_iface_init (HogaSecretStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestSecretStore, test_secret_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HOGA_TYPE_SECRET_STORE,
                                                      test_secret_store_iface_init))

static GTask *
new_task (HogaSecretStore     *store,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (store, cancellable, callback, user_data);

  if (TEST_SECRET_STORE (store)->no_service)
    {
      g_task_return_error (task, hoga_secret_store_new_no_service_error ());
      g_clear_object (&task);
    }
  return task;
}

static void
test_lookup_async (HogaSecretStore     *store,
                   const char          *profile,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  TestSecretStore *self = TEST_SECRET_STORE (store);
  g_autoptr(GTask) task = NULL;
  HogaSecretKeys *keys;

  self->n_lookups++;
  task = new_task (store, cancellable, callback, user_data);
  if (task == NULL)
    return;
  keys = g_new0 (HogaSecretKeys, 1);
  keys->appkey = g_strdup (g_hash_table_lookup (self->appkeys, profile));
  keys->secretkey = g_strdup (g_hash_table_lookup (self->secretkeys, profile));
  g_task_return_pointer (task, keys, (GDestroyNotify) hoga_secret_keys_free);
}

static HogaSecretKeys *
test_lookup_finish (HogaSecretStore  *store,
                    GAsyncResult     *result,
                    GError          **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_store_async (HogaSecretStore     *store,
                  const char          *profile,
                  const char          *appkey,
                  const char          *secretkey,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  TestSecretStore *self = TEST_SECRET_STORE (store);
  g_autoptr(GTask) task = NULL;

  self->n_stores++;
  task = new_task (store, cancellable, callback, user_data);
  if (task == NULL)
    return;
  g_hash_table_insert (self->appkeys, g_strdup (profile), g_strdup (appkey));
  g_hash_table_insert (self->secretkeys, g_strdup (profile), g_strdup (secretkey));
  g_task_return_boolean (task, TRUE);
}

static gboolean
test_boolean_finish (HogaSecretStore  *store,
                     GAsyncResult     *result,
                     GError          **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
test_clear_async (HogaSecretStore     *store,
                  const char          *profile,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  TestSecretStore *self = TEST_SECRET_STORE (store);
  g_autoptr(GTask) task = NULL;

  self->n_clears++;
  task = new_task (store, cancellable, callback, user_data);
  if (task == NULL)
    return;
  g_hash_table_remove (self->appkeys, profile);
  g_hash_table_remove (self->secretkeys, profile);
  g_task_return_boolean (task, TRUE);
}

static void
test_secret_store_iface_init (HogaSecretStoreInterface *iface)
{
  iface->lookup_async = test_lookup_async;
  iface->lookup_finish = test_lookup_finish;
  iface->store_async = test_store_async;
  iface->store_finish = test_boolean_finish;
  iface->clear_async = test_clear_async;
  iface->clear_finish = test_boolean_finish;
}

static void
test_secret_store_finalize (GObject *object)
{
  TestSecretStore *self = TEST_SECRET_STORE (object);

  g_clear_pointer (&self->appkeys, g_hash_table_unref);
  g_clear_pointer (&self->secretkeys, g_hash_table_unref);
  G_OBJECT_CLASS (test_secret_store_parent_class)->finalize (object);
}

static void
test_secret_store_class_init (TestSecretStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_secret_store_finalize;
}

static void
test_secret_store_init (TestSecretStore *self)
{
  self->appkeys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->secretkeys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* ---------------------------------------------------------------------------------- */
/* Fixture                                                                              */

typedef struct {
  GSettingsBackend      *backend;
  GSettings             *settings;
  GSettings             *broker;
  GSettings             *strategy;
  GSettings             *risk;
  TestSecretStore       *store;
  HogaPreferencesWindow *window;
} Fixture;

static gboolean
iterate_until (gboolean (*done) (Fixture *fixture),
               Fixture   *fixture)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (!done (fixture))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

static void
pump (void)
{
  for (guint i = 0; i < 50 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

static void
open_window (Fixture *fixture)
{
  fixture->window = hoga_preferences_window_new (fixture->settings,
                                                 HOGA_SECRET_STORE (fixture->store));
  gtk_window_present (GTK_WINDOW (fixture->window));
  pump ();
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->backend = g_memory_settings_backend_new ();
  fixture->settings = g_settings_new_with_backend (SCHEMA_ID, fixture->backend);
  fixture->broker = g_settings_get_child (fixture->settings, "broker");
  fixture->strategy = g_settings_get_child (fixture->settings, "strategy");
  fixture->risk = g_settings_get_child (fixture->settings, "risk");
  fixture->store = g_object_new (TEST_TYPE_SECRET_STORE, NULL);
  fixture->store->no_service = GPOINTER_TO_INT (user_data);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  if (fixture->window != NULL)
    {
      g_object_add_weak_pointer (G_OBJECT (fixture->window), (gpointer *) &fixture->window);
      gtk_window_destroy (GTK_WINDOW (fixture->window));
      pump ();
      g_assert_null (fixture->window);
    }
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->risk);
  g_clear_object (&fixture->strategy);
  g_clear_object (&fixture->broker);
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->backend);
}

static GtkWidget *
input (Fixture    *fixture,
       const char *child,
       const char *key)
{
  GtkWidget *widget = hoga_preferences_window_get_key_input (fixture->window, child, key);

  g_assert_nonnull (widget);
  return widget;
}

static GtkWidget *
part (Fixture    *fixture,
      const char *id)
{
  GtkWidget *widget = hoga_preferences_window_get_template_widget (fixture->window, id);

  g_assert_nonnull (widget);
  return widget;
}

static const char *
subtitle (Fixture    *fixture,
          const char *id)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (part (fixture, id)));
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (haystack == NULL || strstr (haystack, needle) == NULL)
    g_error ("“%s” does not contain “%s”", haystack, needle);
}

/* ---------------------------------------------------------------------------------- */
/* The schema and the window's coverage of it                                           */

static const char * const edited_children[] = { "broker", "strategy", "risk", NULL };

/* In the main window's strategy bar instead. */
static const char * const strategy_bar_keys[] = {
  "buy-condition", "buy-condition-seq", "sell-condition", "sell-condition-seq", NULL
};

/* Shown as percentages. */
static const char * const basis_point_keys[] = {
  "stop-loss", "trailing-start", "trailing-drop", "take-profit", "daily-loss-limit",
  "price-band", NULL
};

static GSettingsSchema *
lookup_schema (const char *id)
{
  GSettingsSchema *schema = g_settings_schema_source_lookup (g_settings_schema_source_get_default (),
                                                             id, TRUE);

  g_assert_nonnull (schema);
  return schema;
}

static gboolean
is_numeric (const GVariantType *type)
{
  return g_variant_type_equal (type, G_VARIANT_TYPE_INT16)
         || g_variant_type_equal (type, G_VARIANT_TYPE_UINT16)
         || g_variant_type_equal (type, G_VARIANT_TYPE_INT32)
         || g_variant_type_equal (type, G_VARIANT_TYPE_UINT32)
         || g_variant_type_equal (type, G_VARIANT_TYPE_INT64)
         || g_variant_type_equal (type, G_VARIANT_TYPE_UINT64)
         || g_variant_type_equal (type, G_VARIANT_TYPE_DOUBLE);
}

static void
test_schema_complete (void)
{
  g_autoptr(GSettingsSchema) root = lookup_schema (SCHEMA_ID);
  g_auto(GStrv) children = g_settings_schema_list_children (root);
  guint n_keys = 0;

  g_assert_cmpuint (g_strv_length (children), >=, 4);
  for (guint c = 0; children[c] != NULL; c++)
    {
      g_autofree char *id = g_strconcat (SCHEMA_ID ".", children[c], NULL);
      g_autoptr(GSettingsSchema) schema = lookup_schema (id);
      g_auto(GStrv) keys = g_settings_schema_list_keys (schema);

      for (guint k = 0; keys[k] != NULL; k++)
        {
          g_autoptr(GSettingsSchemaKey) key = g_settings_schema_get_key (schema, keys[k]);
          const char *summary = g_settings_schema_key_get_summary (key);
          const char *description = g_settings_schema_key_get_description (key);

          if (summary == NULL || *summary == '\0')
            g_error ("%s %s has no summary", id, keys[k]);
          if (description == NULL || *description == '\0')
            g_error ("%s %s has no description", id, keys[k]);

          if (is_numeric (g_settings_schema_key_get_value_type (key)))
            {
              g_autoptr(GVariant) range = g_settings_schema_key_get_range (key);
              const char *kind;

              g_variant_get_child (range, 0, "&s", &kind);
              if (!g_str_equal (kind, "range"))
                g_error ("%s %s has no range", id, keys[k]);
            }
          n_keys++;
        }
    }
  g_assert_cmpuint (n_keys, >, 30);
}

static double
range_end (GSettingsSchemaKey *key,
           guint               index)
{
  g_autoptr(GVariant) range = g_settings_schema_key_get_range (key);
  g_autoptr(GVariant) limits = NULL;
  g_autoptr(GVariant) end = NULL;

  g_variant_get_child (range, 1, "v", &limits);
  end = g_variant_get_child_value (limits, index);
  if (g_variant_is_of_type (end, G_VARIANT_TYPE_INT32))
    return g_variant_get_int32 (end);
  if (g_variant_is_of_type (end, G_VARIANT_TYPE_UINT32))
    return g_variant_get_uint32 (end);
  if (g_variant_is_of_type (end, G_VARIANT_TYPE_INT64))
    return (double) g_variant_get_int64 (end);
  g_assert_not_reached ();
}

/* Every key but the strategy bar's has an input in a titled, explained row; number inputs
 * span exactly the schema's range; every input takes the keyboard focus. */
static void
test_covers_every_key (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_settings_set_string (fixture->broker, "profile", "custom");
  open_window (fixture);

  for (guint c = 0; edited_children[c] != NULL; c++)
    {
      g_autofree char *id = g_strconcat (SCHEMA_ID ".", edited_children[c], NULL);
      g_autoptr(GSettingsSchema) schema = lookup_schema (id);
      g_auto(GStrv) keys = g_settings_schema_list_keys (schema);

      for (guint k = 0; keys[k] != NULL; k++)
        {
          g_autoptr(GSettingsSchemaKey) key = g_settings_schema_get_key (schema, keys[k]);
          GtkWidget *widget;
          GtkWidget *row;
          const char *title;
          const char *row_subtitle;

          widget = hoga_preferences_window_get_key_input (fixture->window, edited_children[c],
                                                          keys[k]);
          if (g_strv_contains (strategy_bar_keys, keys[k]))
            {
              g_assert_null (widget);
              continue;
            }
          if (widget == NULL)
            g_error ("[%s] %s has no input", edited_children[c], keys[k]);

          row = hoga_preferences_window_get_key_row (fixture->window, edited_children[c],
                                                     keys[k]);
          g_assert_true (ADW_IS_ACTION_ROW (row));
          title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
          row_subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
          if (title == NULL || *title == '\0' || row_subtitle == NULL || *row_subtitle == '\0')
            g_error ("[%s] %s: the row needs a title and a subtitle", edited_children[c], keys[k]);

          if (GTK_IS_SPIN_BUTTON (widget))
            {
              GtkAdjustment *adjustment = gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (widget));
              double scale = g_strv_contains (basis_point_keys, keys[k]) ? 100 : 1;

              g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_lower (adjustment) * scale,
                                              range_end (key, 0), 1e-6);
              g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_upper (adjustment) * scale,
                                              range_end (key, 1), 1e-6);
              g_assert_cmpuint (gtk_spin_button_get_digits (GTK_SPIN_BUTTON (widget)), ==,
                                scale == 100 ? 2 : 0);
            }

          if (!gtk_widget_grab_focus (widget))
            g_error ("[%s] %s: the input cannot take the focus", edited_children[c], keys[k]);
        }
    }
}

/* ---------------------------------------------------------------------------------- */
/* Bindings                                                                             */

static void
test_spin_binding (Fixture       *fixture,
                   gconstpointer  user_data)
{
  GtkSpinButton *stop_loss;
  GtkSpinButton *amount;
  GtkSpinButton *max_order_value;
  GtkSpinButton *cooldown;
  GtkSpinButton *offset;

  open_window (fixture);
  stop_loss = GTK_SPIN_BUTTON (input (fixture, "strategy", "stop-loss"));
  amount = GTK_SPIN_BUTTON (input (fixture, "strategy", "amount-per-stock"));
  max_order_value = GTK_SPIN_BUTTON (input (fixture, "risk", "max-order-value"));
  cooldown = GTK_SPIN_BUTTON (input (fixture, "strategy", "cooldown"));
  offset = GTK_SPIN_BUTTON (input (fixture, "strategy", "buy-limit-offset-ticks"));

  /* The default, 300 bp, shows as 3.00 %. */
  g_assert_cmpfloat (gtk_spin_button_get_value (stop_loss), ==, 3.0);

  gtk_spin_button_set_value (stop_loss, 2.5);
  g_assert_cmpint (g_settings_get_int (fixture->strategy, "stop-loss"), ==, 250);
  g_settings_set_int (fixture->strategy, "stop-loss", 375);
  pump ();
  g_assert_cmpfloat (gtk_spin_button_get_value (stop_loss), ==, 3.75);
  /* 0.29 × 100 is 28.999… in binary: rounded, not truncated. */
  gtk_spin_button_set_value (stop_loss, 0.29);
  g_assert_cmpint (g_settings_get_int (fixture->strategy, "stop-loss"), ==, 29);
  gtk_spin_button_set_value (stop_loss, 2.9);
  g_assert_cmpint (g_settings_get_int (fixture->strategy, "stop-loss"), ==, 290);

  gtk_spin_button_set_value (amount, 2500000);
  g_assert_cmpint (g_settings_get_int64 (fixture->strategy, "amount-per-stock"), ==, 2500000);
  gtk_spin_button_set_value (max_order_value, 10000000000.0);
  g_assert_cmpint (g_settings_get_int64 (fixture->risk, "max-order-value"), ==,
                   G_GINT64_CONSTANT (10000000000));
  gtk_spin_button_set_value (cooldown, 120);
  g_assert_cmpuint (g_settings_get_uint (fixture->strategy, "cooldown"), ==, 120);
  gtk_spin_button_set_value (offset, -3);
  g_assert_cmpint (g_settings_get_int (fixture->strategy, "buy-limit-offset-ticks"), ==, -3);
  g_settings_set_int (fixture->strategy, "buy-limit-offset-ticks", 4);
  pump ();
  g_assert_cmpfloat (gtk_spin_button_get_value (offset), ==, 4);

  /* Past the schema's range: held at its end, never written outside it. */
  gtk_spin_button_set_value (stop_loss, 99.0);
  g_assert_cmpint (g_settings_get_int (fixture->strategy, "stop-loss"), ==, 5000);
  gtk_spin_button_set_value (cooldown, -5);
  g_assert_cmpuint (g_settings_get_uint (fixture->strategy, "cooldown"), ==, 0);
}

static void
test_switch_binding (Fixture       *fixture,
                     gconstpointer  user_data)
{
  GtkSwitch *auto_sell;
  GtkSwitch *flatten;

  open_window (fixture);
  auto_sell = GTK_SWITCH (input (fixture, "strategy", "auto-sell"));
  flatten = GTK_SWITCH (input (fixture, "risk", "flatten-on-daily-loss"));

  g_assert_true (gtk_switch_get_active (auto_sell));
  gtk_switch_set_active (auto_sell, FALSE);
  g_assert_false (g_settings_get_boolean (fixture->strategy, "auto-sell"));
  g_settings_set_boolean (fixture->strategy, "auto-sell", TRUE);
  pump ();
  g_assert_true (gtk_switch_get_active (auto_sell));

  g_assert_false (gtk_switch_get_active (flatten));
  g_settings_set_boolean (fixture->risk, "flatten-on-daily-loss", TRUE);
  pump ();
  g_assert_true (gtk_switch_get_active (flatten));
  gtk_switch_set_active (flatten, FALSE);
  g_assert_false (g_settings_get_boolean (fixture->risk, "flatten-on-daily-loss"));
}

static void
test_combo_binding (Fixture       *fixture,
                    gconstpointer  user_data)
{
  AdwComboRow *venue;
  AdwComboRow *sell_type;
  g_autofree char *venue_nick = NULL;
  g_autofree char *sell_nick = NULL;

  open_window (fixture);
  venue = ADW_COMBO_ROW (input (fixture, "broker", "venue"));
  sell_type = ADW_COMBO_ROW (input (fixture, "strategy", "sell-type"));

  g_assert_cmpuint (adw_combo_row_get_selected (venue), ==, 0);
  adw_combo_row_set_selected (venue, 1);
  venue_nick = g_settings_get_string (fixture->broker, "venue");
  g_assert_cmpstr (venue_nick, ==, "NXT");
  g_settings_set_string (fixture->broker, "venue", "SOR");
  pump ();
  g_assert_cmpuint (adw_combo_row_get_selected (venue), ==, 2);

  /* The default is market, the first item. */
  g_assert_cmpuint (adw_combo_row_get_selected (sell_type), ==, 0);
  adw_combo_row_set_selected (sell_type, 1);
  sell_nick = g_settings_get_string (fixture->strategy, "sell-type");
  g_assert_cmpstr (sell_nick, ==, "limit");
  g_assert_cmpint (g_settings_get_enum (fixture->strategy, "sell-type"), ==, HOGA_ORDER_TYPE_LIMIT);
}

/* ---------------------------------------------------------------------------------- */
/* Text keys                                                                            */

static void
type_and_apply (Fixture    *fixture,
                const char *child,
                const char *key,
                const char *text)
{
  GtkWidget *entry = input (fixture, child, key);

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "activate");
  pump ();
}

static void
assert_string (GSettings  *settings,
               const char *key,
               const char *expected)
{
  g_autofree char *value = g_settings_get_string (settings, key);

  g_assert_cmpstr (value, ==, expected);
}

static void
test_time_entries (Fixture       *fixture,
                   gconstpointer  user_data)
{
  GtkWidget *start_entry;
  const char *start_row = "trading_window_start_row";
  g_autofree char *explanation = NULL;

  open_window (fixture);
  start_entry = input (fixture, "strategy", "trading-window-start");
  explanation = g_strdup (subtitle (fixture, start_row));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (start_entry)), ==, "09:00");

  type_and_apply (fixture, "strategy", "trading-window-start", "09:30");
  assert_string (fixture->strategy, "trading-window-start", "09:30");
  g_assert_false (gtk_widget_has_css_class (start_entry, "error"));

  /* Not HH:MM: refused, naming the key and the allowed range. */
  type_and_apply (fixture, "strategy", "trading-window-start", "9:00");
  assert_string (fixture->strategy, "trading-window-start", "09:30");
  g_assert_true (gtk_widget_has_css_class (start_entry, "error"));
  assert_contains (subtitle (fixture, start_row), "trading-window-start");
  assert_contains (subtitle (fixture, start_row), "08:00");
  assert_contains (subtitle (fixture, start_row), "20:00");

  /* Outside trading hours. */
  type_and_apply (fixture, "strategy", "trading-window-start", "07:30");
  assert_string (fixture->strategy, "trading-window-start", "09:30");
  assert_contains (subtitle (fixture, start_row), "trading-window-start");
  assert_contains (subtitle (fixture, start_row), "08:00");
  assert_contains (subtitle (fixture, start_row), "20:00");

  /* After the window's end (15:00). */
  type_and_apply (fixture, "strategy", "trading-window-start", "16:00");
  assert_string (fixture->strategy, "trading-window-start", "09:30");
  assert_contains (subtitle (fixture, start_row), "trading-window-end");

  /* Once the end moves, the same start is fine, and the error goes. */
  type_and_apply (fixture, "strategy", "trading-window-end", "17:00");
  assert_string (fixture->strategy, "trading-window-end", "17:00");
  type_and_apply (fixture, "strategy", "trading-window-start", "16:00");
  assert_string (fixture->strategy, "trading-window-start", "16:00");
  g_assert_false (gtk_widget_has_css_class (start_entry, "error"));
  g_assert_cmpstr (subtitle (fixture, start_row), ==, explanation);

  /* Changed elsewhere: the entry follows. */
  g_settings_set_string (fixture->strategy, "end-of-day-time", "15:10");
  pump ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (input (fixture, "strategy",
                                                               "end-of-day-time"))),
                   ==, "15:10");
}

static void
test_url_entries (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_settings_set_string (fixture->broker, "profile", "custom");
  open_window (fixture);

  type_and_apply (fixture, "broker", "rest-url", "ftp://127.0.0.1:8080");
  assert_string (fixture->broker, "rest-url", "");
  assert_contains (subtitle (fixture, "rest_url_row"), "rest-url");

  type_and_apply (fixture, "broker", "rest-url", "http://127.0.0.1:8080");
  assert_string (fixture->broker, "rest-url", "http://127.0.0.1:8080");

  type_and_apply (fixture, "broker", "ws-url", "http://127.0.0.1:8081");
  assert_string (fixture->broker, "ws-url", "");
  assert_contains (subtitle (fixture, "ws_url_row"), "ws-url");
  type_and_apply (fixture, "broker", "ws-url", "ws://127.0.0.1:8081/api/dostk/websocket");
  assert_string (fixture->broker, "ws-url", "ws://127.0.0.1:8081/api/dostk/websocket");
}

/* ---------------------------------------------------------------------------------- */
/* Profiles                                                                             */

static void
test_profile_shows_what_applies (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  AdwComboRow *profile;

  open_window (fixture);
  profile = ADW_COMBO_ROW (part (fixture, "profile_row"));

  g_assert_cmpuint (adw_combo_row_get_selected (profile), ==, 0);
  g_assert_false (gtk_widget_get_sensitive (part (fixture, "custom_group")));
  g_assert_true (gtk_widget_get_visible (part (fixture, "no_keys_row")));
  g_assert_false (gtk_widget_get_visible (part (fixture, "appkey_row")));
  g_assert_false (gtk_widget_get_visible (part (fixture, "secretkey_row")));
  g_assert_false (gtk_widget_get_visible (part (fixture, "test_row")));
  /* The simulated exchange needs no keys: the keyring is not even asked. */
  g_assert_cmpuint (fixture->store->n_lookups, ==, 0);

  adw_combo_row_set_selected (profile, 1);
  pump ();
  assert_string (fixture->broker, "profile", "mock");
  g_assert_false (gtk_widget_get_sensitive (part (fixture, "custom_group")));
  g_assert_false (gtk_widget_get_visible (part (fixture, "no_keys_row")));
  g_assert_true (gtk_widget_get_visible (part (fixture, "appkey_row")));
  g_assert_true (gtk_widget_get_visible (part (fixture, "test_row")));

  adw_combo_row_set_selected (profile, 3);
  pump ();
  assert_string (fixture->broker, "profile", "custom");
  g_assert_true (gtk_widget_get_sensitive (part (fixture, "custom_group")));

  /* Changed elsewhere: the combo follows. */
  g_settings_set_string (fixture->broker, "profile", "simulated");
  pump ();
  g_assert_cmpuint (adw_combo_row_get_selected (profile), ==, 0);
  g_assert_false (gtk_widget_get_sensitive (part (fixture, "custom_group")));
}

static void
count_cb (GSettings  *settings,
          const char *key,
          guint      *count)
{
  (*count)++;
}

static gboolean
dialog_open (Fixture *fixture)
{
  return hoga_preferences_window_get_confirm_dialog (fixture->window) != NULL;
}

static AdwMessageDialog *
choose_real (Fixture *fixture)
{
  AdwMessageDialog *dialog;

  adw_combo_row_set_selected (ADW_COMBO_ROW (part (fixture, "profile_row")), 2);
  g_assert_true (iterate_until (dialog_open, fixture));
  dialog = hoga_preferences_window_get_confirm_dialog (fixture->window);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "confirm"));
  return dialog;
}

static void
type_confirmation (AdwMessageDialog *dialog,
                   const char       *text)
{
  GtkWidget *entry = adw_message_dialog_get_extra_child (dialog);

  g_assert_true (GTK_IS_EDITABLE (entry));
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
}

static void
test_real_needs_typed_word (Fixture       *fixture,
                            gconstpointer  user_data)
{
  AdwMessageDialog *dialog;
  guint changes = 0;

  g_settings_set_string (fixture->broker, "profile", "mock");
  open_window (fixture);
  g_signal_connect (fixture->broker, "changed::profile", G_CALLBACK (count_cb), &changes);

  dialog = choose_real (fixture);
  assert_contains (adw_message_dialog_get_body (dialog), "REAL");

  type_confirmation (dialog, "real");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "confirm"));
  type_confirmation (dialog, "REA");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "confirm"));
  type_confirmation (dialog, "REAL");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "confirm"));
  g_assert_cmpuint (changes, ==, 0);

  adw_message_dialog_response (dialog, "confirm");
  pump ();
  assert_string (fixture->broker, "profile", "real");
  g_assert_cmpuint (changes, ==, 1);
  g_assert_null (hoga_preferences_window_get_confirm_dialog (fixture->window));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (part (fixture, "profile_row"))),
                    ==, 2);
  g_signal_handlers_disconnect_by_data (fixture->broker, &changes);
}

static void
test_real_wrong_word (Fixture       *fixture,
                      gconstpointer  user_data)
{
  AdwMessageDialog *dialog;
  guint changes = 0;

  g_settings_set_string (fixture->broker, "profile", "mock");
  open_window (fixture);
  g_signal_connect (fixture->broker, "changed::profile", G_CALLBACK (count_cb), &changes);

  dialog = choose_real (fixture);
  type_confirmation (dialog, "yes");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "confirm"));

  /* Even a confirm emitted regardless does not switch with the wrong word. */
  adw_message_dialog_response (dialog, "confirm");
  pump ();
  assert_string (fixture->broker, "profile", "mock");
  g_assert_cmpuint (changes, ==, 0);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (part (fixture, "profile_row"))),
                    ==, 1);
  g_signal_handlers_disconnect_by_data (fixture->broker, &changes);
}

static void
test_real_cancel_reverts (Fixture       *fixture,
                          gconstpointer  user_data)
{
  AdwMessageDialog *dialog;
  guint changes = 0;

  g_settings_set_string (fixture->broker, "profile", "custom");
  open_window (fixture);
  g_signal_connect (fixture->broker, "changed::profile", G_CALLBACK (count_cb), &changes);

  dialog = choose_real (fixture);
  type_confirmation (dialog, "REAL");
  adw_message_dialog_response (dialog, "cancel");
  pump ();

  assert_string (fixture->broker, "profile", "custom");
  g_assert_cmpuint (changes, ==, 0);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (part (fixture, "profile_row"))),
                    ==, 3);
  g_assert_null (hoga_preferences_window_get_confirm_dialog (fixture->window));
  g_assert_true (gtk_widget_get_sensitive (part (fixture, "custom_group")));
  g_signal_handlers_disconnect_by_data (fixture->broker, &changes);
}

/* ---------------------------------------------------------------------------------- */
/* Keys                                                                                 */

static gboolean
key_state_settled (Fixture *fixture)
{
  const char *text = subtitle (fixture, "key_state_row");

  return text != NULL && !g_str_has_suffix (text, "…");
}

static void
type_keys (Fixture    *fixture,
           const char *appkey,
           const char *secretkey)
{
  gtk_editable_set_text (GTK_EDITABLE (part (fixture, "appkey_row")), appkey);
  gtk_editable_set_text (GTK_EDITABLE (part (fixture, "secretkey_row")), secretkey);
}

static void
test_keys_saved_through_store (Fixture       *fixture,
                               gconstpointer  user_data)
{
  GtkWidget *save;
  GtkWidget *forget;

  g_settings_set_string (fixture->broker, "profile", "mock");
  open_window (fixture);
  save = part (fixture, "save_button");
  forget = part (fixture, "forget_button");

  g_assert_true (iterate_until (key_state_settled, fixture));
  g_assert_cmpstr (subtitle (fixture, "key_state_row"), ==, "Not saved");
  g_assert_false (gtk_widget_get_sensitive (save));
  g_assert_false (gtk_widget_get_sensitive (forget));

  type_keys (fixture, "the-appkey", "");
  g_assert_false (gtk_widget_get_sensitive (save));
  type_keys (fixture, "the-appkey", "the-secretkey");
  g_assert_true (gtk_widget_get_sensitive (save));

  g_signal_emit_by_name (save, "clicked");
  g_assert_true (iterate_until (key_state_settled, fixture));
  g_assert_cmpuint (fixture->store->n_stores, ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (fixture->store->appkeys, "mock"), ==, "the-appkey");
  g_assert_cmpstr (g_hash_table_lookup (fixture->store->secretkeys, "mock"), ==, "the-secretkey");
  g_assert_cmpstr (subtitle (fixture, "key_state_row"), ==, "Saved in the keyring");
  /* Saved keys leave the entries, and never reach the settings. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (part (fixture, "appkey_row"))), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (part (fixture, "secretkey_row"))), ==, "");
  g_assert_false (gtk_widget_get_sensitive (save));
  g_assert_true (gtk_widget_get_sensitive (forget));

  /* Another profile has its own keys. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (part (fixture, "profile_row")), 3);
  g_assert_true (iterate_until (key_state_settled, fixture));
  g_assert_cmpstr (subtitle (fixture, "key_state_row"), ==, "Not saved");
  adw_combo_row_set_selected (ADW_COMBO_ROW (part (fixture, "profile_row")), 1);
  g_assert_true (iterate_until (key_state_settled, fixture));
  g_assert_cmpstr (subtitle (fixture, "key_state_row"), ==, "Saved in the keyring");

  g_signal_emit_by_name (part (fixture, "forget_button"), "clicked");
  g_assert_true (iterate_until (key_state_settled, fixture));
  g_assert_cmpuint (fixture->store->n_clears, ==, 1);
  g_assert_null (g_hash_table_lookup (fixture->store->appkeys, "mock"));
  g_assert_cmpstr (subtitle (fixture, "key_state_row"), ==, "Not saved");
  g_assert_false (gtk_widget_get_sensitive (forget));
}

static void
test_keys_no_service (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_settings_set_string (fixture->broker, "profile", "real");
  open_window (fixture);

  g_assert_true (iterate_until (key_state_settled, fixture));
  assert_contains (subtitle (fixture, "key_state_row"), "gnome-keyring");
  assert_contains (subtitle (fixture, "key_state_row"), "KIWOOM_APPKEY");
  assert_contains (subtitle (fixture, "key_state_row"), "KIWOOM_SECRETKEY");

  type_keys (fixture, "the-appkey", "the-secretkey");
  g_signal_emit_by_name (part (fixture, "save_button"), "clicked");
  g_assert_true (iterate_until (key_state_settled, fixture));
  g_assert_cmpuint (fixture->store->n_stores, ==, 1);
  assert_contains (subtitle (fixture, "key_state_row"), "No Secret Service is running");
  assert_contains (subtitle (fixture, "key_state_row"), "KIWOOM_APPKEY");
  /* Not saved: the typed keys stay, to be tested or saved later. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (part (fixture, "appkey_row"))), ==,
                   "the-appkey");
}

/* ---------------------------------------------------------------------------------- */
/* Test Connection                                                                      */

typedef struct {
  guint  n_calls;
  char  *profile;
  char  *appkey;
  char  *secretkey;
} TestRequest;

static void
test_connection_cb (HogaPreferencesWindow *window,
                    const char            *profile,
                    const char            *appkey,
                    const char            *secretkey,
                    TestRequest           *request)
{
  request->n_calls++;
  g_free (request->profile);
  g_free (request->appkey);
  g_free (request->secretkey);
  request->profile = g_strdup (profile);
  request->appkey = g_strdup (appkey);
  request->secretkey = g_strdup (secretkey);
}

static void
test_request_clear (TestRequest *request)
{
  g_clear_pointer (&request->profile, g_free);
  g_clear_pointer (&request->appkey, g_free);
  g_clear_pointer (&request->secretkey, g_free);
}

static void
wait_for_calls (TestRequest *request,
                guint        n_calls)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (request->n_calls < n_calls)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  pump ();
  g_assert_cmpuint (request->n_calls, ==, n_calls);
}

static gboolean
test_settled (Fixture *fixture)
{
  return gtk_widget_get_sensitive (part (fixture, "test_button"));
}

static void
test_connection_signal (Fixture       *fixture,
                        gconstpointer  user_data)
{
  TestRequest request = { 0 };
  GtkWidget *button;

  g_settings_set_string (fixture->broker, "profile", "mock");
  open_window (fixture);
  g_signal_connect (fixture->window, "test-connection", G_CALLBACK (test_connection_cb),
                    &request);
  button = part (fixture, "test_button");

  /* The typed keys. */
  type_keys (fixture, "typed-appkey", "typed-secretkey");
  g_signal_emit_by_name (button, "clicked");
  pump ();
  g_assert_cmpuint (request.n_calls, ==, 1);
  g_assert_cmpstr (request.profile, ==, "mock");
  g_assert_cmpstr (request.appkey, ==, "typed-appkey");
  g_assert_cmpstr (request.secretkey, ==, "typed-secretkey");
  g_assert_false (gtk_widget_get_sensitive (button));

  hoga_preferences_window_show_test_result (fixture->window, TRUE, "Connected to the server");
  g_assert_true (gtk_widget_get_sensitive (button));
  g_assert_cmpstr (subtitle (fixture, "test_row"), ==, "Connected to the server");
  g_assert_true (gtk_widget_has_css_class (part (fixture, "test_result_icon"), "success"));

  /* No keys typed: the saved ones. */
  type_keys (fixture, "", "");
  g_hash_table_insert (fixture->store->appkeys, g_strdup ("mock"), g_strdup ("saved-appkey"));
  g_hash_table_insert (fixture->store->secretkeys, g_strdup ("mock"), g_strdup ("saved-secretkey"));
  g_signal_emit_by_name (button, "clicked");
  wait_for_calls (&request, 2);
  g_assert_cmpstr (request.appkey, ==, "saved-appkey");
  g_assert_cmpstr (request.secretkey, ==, "saved-secretkey");
  hoga_preferences_window_show_test_result (fixture->window, FALSE, "The server said no");
  g_assert_cmpstr (subtitle (fixture, "test_row"), ==, "The server said no");
  g_assert_true (gtk_widget_has_css_class (part (fixture, "test_result_icon"), "error"));
  g_assert_false (gtk_widget_has_css_class (part (fixture, "test_result_icon"), "success"));

  /* Nothing typed, nothing saved: told so, nothing emitted. */
  g_hash_table_remove_all (fixture->store->appkeys);
  g_hash_table_remove_all (fixture->store->secretkeys);
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (iterate_until (test_settled, fixture));
  g_assert_cmpuint (request.n_calls, ==, 2);
  assert_contains (subtitle (fixture, "test_row"), "No keys to test");

  /* Half typed: told so. */
  type_keys (fixture, "only-appkey", "");
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpuint (request.n_calls, ==, 2);
  assert_contains (subtitle (fixture, "test_row"), "both");

  g_signal_handlers_disconnect_by_data (fixture->window, &request);
  test_request_clear (&request);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  hoga_ui_init ();

#define ADD(path, func, no_service) \
  g_test_add (path, Fixture, GINT_TO_POINTER (no_service), fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/ui/preferences/schema/complete", test_schema_complete);
  ADD ("/ui/preferences/covers-every-key", test_covers_every_key, FALSE);
  ADD ("/ui/preferences/bind/spin", test_spin_binding, FALSE);
  ADD ("/ui/preferences/bind/switch", test_switch_binding, FALSE);
  ADD ("/ui/preferences/bind/combo", test_combo_binding, FALSE);
  ADD ("/ui/preferences/text/times", test_time_entries, FALSE);
  ADD ("/ui/preferences/text/urls", test_url_entries, FALSE);
  ADD ("/ui/preferences/profile/shows-what-applies", test_profile_shows_what_applies, FALSE);
  ADD ("/ui/preferences/profile/real/typed-word", test_real_needs_typed_word, FALSE);
  ADD ("/ui/preferences/profile/real/wrong-word", test_real_wrong_word, FALSE);
  ADD ("/ui/preferences/profile/real/cancel-reverts", test_real_cancel_reverts, FALSE);
  ADD ("/ui/preferences/keys/saved-through-store", test_keys_saved_through_store, FALSE);
  ADD ("/ui/preferences/keys/no-service", test_keys_no_service, TRUE);
  ADD ("/ui/preferences/test-connection", test_connection_signal, FALSE);

#undef ADD

  return g_test_run ();
}
