/* hoga-preferences-window.c — connection, credentials, trading and risk settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every setting is bound to its GSettings key (DESIGN.md §6); one table below says which
 * input edits which key and how. Number inputs take their limits from the schema's ranges,
 * so the window cannot offer a value the engine would refuse; basis points are shown as
 * percentages. Text keys (times and URLs) are checked by the core's settings table before
 * they are written, and a refused value names the key and what is allowed.
 *
 * The Kiwoom keys are never settings: they go through the HogaSecretStore port only, and
 * leave the entries as soon as they are saved. Choosing the real profile takes a typed
 * confirmation, because from then on the engine trades real money.
 */
#define G_LOG_DOMAIN "hoga-ui"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "hoga-preferences-window-private.h"
#include "hoga-settings.h"

typedef enum {
  INPUT_NUMBER,   /* GtkSpinButton, the value divided by the input's scale */
  INPUT_SWITCH,   /* GtkSwitch */
  INPUT_CHOICE,   /* AdwComboRow over an enum key's nicks, in the order of its items */
  INPUT_TEXT,     /* GtkEntry, checked by the core's settings table on Enter or focus out */
  INPUT_PROFILE,  /* the profile's AdwComboRow: the real profile needs a confirmation */
} InputKind;

typedef struct {
  const char         *child;  /* the settings child and key-file group */
  const char         *key;
  const char         *input;  /* template ids */
  const char         *row;
  InputKind           kind;
  double              scale;  /* stored value = shown value × scale */
  double              step;
  double              page;
  const char * const *nicks;
} KeyInput;

/* In the order of the combo rows' items. */
static const char * const profile_nicks[] = { "simulated", "mock", "real", "custom", NULL };
static const char * const venue_nicks[] = { "KRX", "NXT", "SOR", NULL };
static const char * const order_type_nicks[] = { "market", "limit", NULL };

enum {
  PROFILE_SIMULATED,
  PROFILE_MOCK,
  PROFILE_REAL,
  PROFILE_CUSTOM,
};

#define NUMBER(c, k, id, step, page) { c, k, id, id "_row", INPUT_NUMBER, 1, step, page, NULL }
#define PERCENT(c, k, id) { c, k, id, id "_row", INPUT_NUMBER, 100, 0.1, 1, NULL }
#define SWITCH(c, k, id) { c, k, id, id "_row", INPUT_SWITCH, 1, 0, 0, NULL }
#define CHOICE(c, k, id, nicks) { c, k, id, id, INPUT_CHOICE, 1, 0, 0, nicks }
#define TEXT(c, k, id) { c, k, id, id "_row", INPUT_TEXT, 1, 0, 0, NULL }

/* Every key of the broker, strategy and risk children but the strategy bar's conditions
 * (tests/test-ui-preferences.c checks that none is forgotten). */
static const KeyInput inputs[] = {
  { "broker", "profile", "profile_row", "profile_row", INPUT_PROFILE, 1, 0, 0, profile_nicks },
  CHOICE ("broker", "venue", "venue_row", venue_nicks),
  NUMBER ("broker", "rate-limit", "rate_limit", 1, 5),
  TEXT ("broker", "rest-url", "rest_url"),
  TEXT ("broker", "ws-url", "ws_url"),

  NUMBER ("strategy", "amount-per-stock", "amount_per_stock", 10000, 100000),
  NUMBER ("strategy", "max-positions", "max_positions", 1, 5),
  CHOICE ("strategy", "buy-type", "buy_type_row", order_type_nicks),
  NUMBER ("strategy", "buy-limit-offset-ticks", "buy_limit_offset_ticks", 1, 5),
  SWITCH ("strategy", "buy-snapshot-members", "buy_snapshot_members"),
  SWITCH ("strategy", "allow-reentry", "allow_reentry"),
  NUMBER ("strategy", "cooldown", "cooldown", 1, 60),
  NUMBER ("strategy", "unfilled-buy-timeout", "unfilled_buy_timeout", 1, 10),
  TEXT ("strategy", "trading-window-start", "trading_window_start"),
  TEXT ("strategy", "trading-window-end", "trading_window_end"),
  SWITCH ("strategy", "end-of-day-sell", "end_of_day_sell"),
  TEXT ("strategy", "end-of-day-time", "end_of_day_time"),
  SWITCH ("strategy", "auto-sell", "auto_sell"),
  PERCENT ("strategy", "stop-loss", "stop_loss"),
  PERCENT ("strategy", "trailing-start", "trailing_start"),
  PERCENT ("strategy", "trailing-drop", "trailing_drop"),
  PERCENT ("strategy", "take-profit", "take_profit"),
  CHOICE ("strategy", "sell-type", "sell_type_row", order_type_nicks),
  NUMBER ("strategy", "sell-limit-offset-ticks", "sell_limit_offset_ticks", 1, 5),
  NUMBER ("strategy", "unfilled-sell-timeout", "unfilled_sell_timeout", 1, 10),
  NUMBER ("strategy", "sell-retry-cooldown", "sell_retry_cooldown", 1, 10),

  NUMBER ("risk", "max-order-value", "max_order_value", 100000, 1000000),
  NUMBER ("risk", "max-buys-per-day", "max_buys_per_day", 1, 10),
  PERCENT ("risk", "daily-loss-limit", "daily_loss_limit"),
  SWITCH ("risk", "flatten-on-daily-loss", "flatten_on_daily_loss"),
  PERCENT ("risk", "price-band", "price_band"),
  NUMBER ("risk", "staleness-limit", "staleness_limit", 100, 1000),
};

#undef NUMBER
#undef PERCENT
#undef SWITCH
#undef CHOICE
#undef TEXT

static const char * const children[] = { "broker", "strategy", "risk" };

struct _HogaPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  GSettings            *child_settings[G_N_ELEMENTS (children)];
  HogaSecretStore      *secret_store;
  GCancellable         *key_cancellable;  /* the keyring calls of the current profile */

  guint                 profile;          /* the profile in the settings, an index */
  gboolean              updating_profile;
  AdwMessageDialog     *confirm_dialog;
  GtkEditable          *confirm_entry;
  gboolean              keys_saved;
  gboolean              key_busy;
  gboolean              testing;

  AdwComboRow          *profile_row;
  AdwPreferencesGroup  *custom_group;
  AdwActionRow         *no_keys_row;
  AdwEntryRow          *appkey_row;
  AdwEntryRow          *secretkey_row;
  AdwActionRow         *key_state_row;
  GtkButton            *forget_button;
  GtkButton            *save_button;
  AdwActionRow         *test_row;
  GtkImage             *test_result_icon;
  GtkSpinner           *test_spinner;
  GtkButton            *test_button;
};

G_DEFINE_FINAL_TYPE (HogaPreferencesWindow, hoga_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_SECRET_STORE,
  N_PROPS
};

enum {
  TEST_CONNECTION,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

#define SUBTITLE_KEY "hoga-subtitle"

/* ---------------------------------------------------------------------------------- */
/* Helpers                                                                              */

static GSettings *
get_child_settings (HogaPreferencesWindow *self,
                    const char            *child)
{
  for (guint i = 0; i < G_N_ELEMENTS (children); i++)
    {
      if (g_str_equal (children[i], child))
        return self->child_settings[i];
    }
  g_assert_not_reached ();
}

static const KeyInput *
find_input (const char *child,
            const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      if (g_str_equal (inputs[i].child, child) && g_str_equal (inputs[i].key, key))
        return &inputs[i];
    }
  return NULL;
}

static GtkWidget *
get_template_widget (HogaPreferencesWindow *self,
                     const char            *id)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (self),
                                                    HOGA_TYPE_PREFERENCES_WINDOW, id));
}

static const char *
profile_nick (HogaPreferencesWindow *self)
{
  return profile_nicks[self->profile];
}

static gboolean
editable_is_empty (AdwEntryRow *row)
{
  return *gtk_editable_get_text (GTK_EDITABLE (row)) == '\0';
}

static double
number_to_double (GVariant *value)
{
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32))
    return g_variant_get_int32 (value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    return g_variant_get_uint32 (value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    return (double) g_variant_get_int64 (value);
  g_assert_not_reached ();
}

/* The schema's range is the one limit: the engine refuses anything outside it. */
static void
setup_number_range (GSettings      *settings,
                    const KeyInput *input,
                    GtkSpinButton  *spin)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaKey) schema_key = NULL;
  g_autoptr(GVariant) range = NULL;
  g_autoptr(GVariant) limits = NULL;
  g_autoptr(GVariant) min = NULL;
  g_autoptr(GVariant) max = NULL;
  const char *type;

  g_object_get (settings, "settings-schema", &schema, NULL);
  schema_key = g_settings_schema_get_key (schema, input->key);
  range = g_settings_schema_key_get_range (schema_key);
  g_variant_get (range, "(&sv)", &type, &limits);
  g_assert (g_str_equal (type, "range"));

  min = g_variant_get_child_value (limits, 0);
  max = g_variant_get_child_value (limits, 1);
  gtk_spin_button_set_range (spin, number_to_double (min) / input->scale,
                             number_to_double (max) / input->scale);
  gtk_spin_button_set_increments (spin, input->step, input->page);
}

/* ---------------------------------------------------------------------------------- */
/* Settings mappings                                                                    */

static gboolean
number_get_mapping (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  const KeyInput *input = user_data;

  g_value_set_double (value, number_to_double (variant) / input->scale);
  return TRUE;
}

/* Rounded, not truncated: 2.9 % is 289.99999… basis points in binary. */
static GVariant *
number_set_mapping (const GValue       *value,
                    const GVariantType *expected_type,
                    gpointer            user_data)
{
  const KeyInput *input = user_data;
  double scaled = g_value_get_double (value) * input->scale;
  gint64 number = scaled >= 0 ? (gint64) (scaled + 0.5) : -(gint64) (0.5 - scaled);

  if (g_variant_type_equal (expected_type, G_VARIANT_TYPE_INT32))
    return g_variant_new_int32 ((gint32) CLAMP (number, G_MININT32, G_MAXINT32));
  if (g_variant_type_equal (expected_type, G_VARIANT_TYPE_UINT32))
    return g_variant_new_uint32 ((guint32) CLAMP (number, 0, G_MAXUINT32));
  if (g_variant_type_equal (expected_type, G_VARIANT_TYPE_INT64))
    return g_variant_new_int64 (number);
  g_return_val_if_reached (NULL);
}

static gboolean
choice_get_mapping (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  const KeyInput *input = user_data;
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; input->nicks[i] != NULL; i++)
    {
      if (g_str_equal (input->nicks[i], nick))
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }
  return FALSE;
}

static GVariant *
choice_set_mapping (const GValue       *value,
                    const GVariantType *expected_type,
                    gpointer            user_data)
{
  const KeyInput *input = user_data;
  guint index = g_value_get_uint (value);

  if (index >= g_strv_length ((char **) input->nicks))
    return NULL;
  return g_variant_new_string (input->nicks[index]);
}

/* ---------------------------------------------------------------------------------- */
/* Text keys                                                                            */

/* The core's settings table is the one place that knows each key's format and range, and
 * its key-file loader reports a bad value naming the key and what is allowed. The group's
 * other text keys go along with their current values, so that the checks between keys
 * (the trading window starts before it ends) see the real ones. */
static gboolean
check_text (HogaPreferencesWindow  *self,
            const KeyInput         *input,
            const char             *text,
            GError                **error)
{
  GSettings *settings = get_child_settings (self, input->child);
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(HogaSettings) checked = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autofree char *value = NULL;

      if (inputs[i].kind != INPUT_TEXT || !g_str_equal (inputs[i].child, input->child))
        continue;
      value = g_settings_get_string (settings, inputs[i].key);
      g_key_file_set_string (key_file, input->child, inputs[i].key, value);
    }
  g_key_file_set_string (key_file, input->child, input->key, text);

  checked = hoga_settings_load_key_file (key_file, error);
  return checked != NULL;
}

static void
set_text_error (HogaPreferencesWindow *self,
                const KeyInput        *input,
                const char            *message)
{
  GtkWidget *entry = get_template_widget (self, input->input);
  AdwActionRow *row = ADW_ACTION_ROW (get_template_widget (self, input->row));

  if (message != NULL)
    {
      gtk_widget_add_css_class (entry, "error");
      adw_action_row_set_subtitle (row, message);
    }
  else
    {
      gtk_widget_remove_css_class (entry, "error");
      adw_action_row_set_subtitle (row, g_object_get_data (G_OBJECT (row), SUBTITLE_KEY));
    }
}

static void
apply_text (HogaPreferencesWindow *self,
            const KeyInput        *input)
{
  GSettings *settings = get_child_settings (self, input->child);
  GtkEditable *entry = GTK_EDITABLE (get_template_widget (self, input->input));
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  g_autofree char *current = g_settings_get_string (settings, input->key);
  g_autoptr(GError) error = NULL;

  if (g_str_equal (text, current))
    {
      set_text_error (self, input, NULL);
      return;
    }
  if (!check_text (self, input, text, &error))
    {
      set_text_error (self, input, error->message);
      return;
    }

  set_text_error (self, input, NULL);
  g_settings_set_string (settings, input->key, text);
}

static const KeyInput *
text_input_of (GtkWidget *entry)
{
  return g_object_get_data (G_OBJECT (entry), "hoga-key-input");
}

static void
text_activate_cb (GtkEntry              *entry,
                  HogaPreferencesWindow *self)
{
  apply_text (self, text_input_of (GTK_WIDGET (entry)));
}

static void
text_focus_leave_cb (GtkEventControllerFocus *controller,
                     HogaPreferencesWindow   *self)
{
  GtkWidget *entry = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  if (self->settings != NULL)
    apply_text (self, text_input_of (entry));
}

static void
text_setting_changed_cb (GSettings             *settings,
                         const char            *key,
                         HogaPreferencesWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      const KeyInput *input = &inputs[i];
      g_autofree char *value = NULL;

      if (input->kind != INPUT_TEXT || g_strcmp0 (input->key, key) != 0
          || get_child_settings (self, input->child) != settings)
        continue;
      value = g_settings_get_string (settings, key);
      gtk_editable_set_text (GTK_EDITABLE (get_template_widget (self, input->input)), value);
      set_text_error (self, input, NULL);
    }
}

static void
setup_text (HogaPreferencesWindow *self,
            const KeyInput        *input)
{
  GSettings *settings = get_child_settings (self, input->child);
  GtkWidget *entry = get_template_widget (self, input->input);
  GtkWidget *row = get_template_widget (self, input->row);
  GtkEventController *focus = gtk_event_controller_focus_new ();
  g_autofree char *signal = g_strconcat ("changed::", input->key, NULL);
  g_autofree char *value = g_settings_get_string (settings, input->key);

  g_object_set_data (G_OBJECT (entry), "hoga-key-input", (gpointer) input);
  g_object_set_data_full (G_OBJECT (row), SUBTITLE_KEY,
                          g_strdup (adw_action_row_get_subtitle (ADW_ACTION_ROW (row))),
                          g_free);
  gtk_editable_set_text (GTK_EDITABLE (entry), value);

  g_signal_connect_object (entry, "activate", G_CALLBACK (text_activate_cb), self, 0);
  g_signal_connect_object (focus, "leave", G_CALLBACK (text_focus_leave_cb), self, 0);
  gtk_widget_add_controller (entry, focus);
  g_signal_connect_object (settings, signal, G_CALLBACK (text_setting_changed_cb), self, 0);
}

/* ---------------------------------------------------------------------------------- */
/* Keys                                                                                 */

static void
update_key_buttons (HogaPreferencesWindow *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button),
                            !self->key_busy
                            && !editable_is_empty (self->appkey_row)
                            && !editable_is_empty (self->secretkey_row));
  gtk_widget_set_sensitive (GTK_WIDGET (self->forget_button),
                            !self->key_busy && self->keys_saved);
}

static void
set_key_state (HogaPreferencesWindow *self,
               const char            *text)
{
  adw_action_row_set_subtitle (self->key_state_row, text);
  update_key_buttons (self);
}

static void
clear_key_entries (HogaPreferencesWindow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->appkey_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->secretkey_row), "");
}

/* A keyring call and what it was made for: its answer is dropped when the profile changed
 * (or the window closed) meanwhile, even if it came back successful. */
typedef struct {
  HogaPreferencesWindow *self;
  GCancellable          *cancellable;
} KeyCall;

static KeyCall *
key_call_new (HogaPreferencesWindow *self)
{
  KeyCall *call = g_new0 (KeyCall, 1);

  call->self = g_object_ref (self);
  call->cancellable = g_object_ref (self->key_cancellable);
  return call;
}

static void
key_call_free (KeyCall *call)
{
  g_clear_object (&call->self);
  g_clear_object (&call->cancellable);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KeyCall, key_call_free)

static gboolean
key_call_is_current (KeyCall *call)
{
  return !g_cancellable_is_cancelled (call->cancellable) && call->self->settings != NULL;
}

static void
lookup_state_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(KeyCall) call = user_data;
  HogaPreferencesWindow *self = call->self;
  g_autoptr(HogaSecretKeys) keys = NULL;
  g_autoptr(GError) error = NULL;

  keys = hoga_secret_store_lookup_finish (HOGA_SECRET_STORE (source), result, &error);
  if (!key_call_is_current (call))
    return;

  self->key_busy = FALSE;
  self->keys_saved = keys != NULL && (keys->appkey != NULL || keys->secretkey != NULL);
  if (keys == NULL)
    set_key_state (self, error->message);
  else if (keys->appkey != NULL && keys->secretkey != NULL)
    set_key_state (self, _("Saved in the keyring"));
  else if (self->keys_saved)
    set_key_state (self, _("Only one of the two keys is saved. Enter both and save them "
                           "again."));
  else
    set_key_state (self, _("Not saved"));
}

static void
refresh_key_state (HogaPreferencesWindow *self)
{
  g_cancellable_cancel (self->key_cancellable);
  g_clear_object (&self->key_cancellable);
  self->key_cancellable = g_cancellable_new ();
  self->keys_saved = FALSE;
  self->key_busy = FALSE;

  if (self->profile == PROFILE_SIMULATED)
    return;

  self->key_busy = TRUE;
  set_key_state (self, _("Checking the keyring…"));
  hoga_secret_store_lookup_async (self->secret_store, profile_nick (self),
                                  self->key_cancellable, lookup_state_cb,
                                  key_call_new (self));
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(KeyCall) call = user_data;
  HogaPreferencesWindow *self = call->self;
  g_autoptr(GError) error = NULL;
  gboolean stored;

  stored = hoga_secret_store_store_finish (HOGA_SECRET_STORE (source), result, &error);
  if (!key_call_is_current (call))
    return;
  if (!stored)
    {
      self->key_busy = FALSE;
      set_key_state (self, error->message);
      return;
    }

  /* Saved: the keys need not sit in the entries any longer. */
  self->key_busy = FALSE;
  self->keys_saved = TRUE;
  clear_key_entries (self);
  set_key_state (self, _("Saved in the keyring"));
}

static void
save_clicked_cb (HogaPreferencesWindow *self)
{
  if (self->key_busy || editable_is_empty (self->appkey_row)
      || editable_is_empty (self->secretkey_row))
    return;

  self->key_busy = TRUE;
  set_key_state (self, _("Saving…"));
  hoga_secret_store_store_async (self->secret_store, profile_nick (self),
                                 gtk_editable_get_text (GTK_EDITABLE (self->appkey_row)),
                                 gtk_editable_get_text (GTK_EDITABLE (self->secretkey_row)),
                                 self->key_cancellable, store_cb, key_call_new (self));
}

static void
clear_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(KeyCall) call = user_data;
  HogaPreferencesWindow *self = call->self;
  g_autoptr(GError) error = NULL;
  gboolean cleared;

  cleared = hoga_secret_store_clear_finish (HOGA_SECRET_STORE (source), result, &error);
  if (!key_call_is_current (call))
    return;
  if (!cleared)
    {
      self->key_busy = FALSE;
      set_key_state (self, error->message);
      return;
    }

  self->key_busy = FALSE;
  self->keys_saved = FALSE;
  set_key_state (self, _("Not saved"));
}

static void
forget_clicked_cb (HogaPreferencesWindow *self)
{
  if (self->key_busy || !self->keys_saved)
    return;

  self->key_busy = TRUE;
  set_key_state (self, _("Removing…"));
  hoga_secret_store_clear_async (self->secret_store, profile_nick (self),
                                 self->key_cancellable, clear_cb, key_call_new (self));
}

static void
key_entry_changed_cb (HogaPreferencesWindow *self)
{
  update_key_buttons (self);
}

/* ---------------------------------------------------------------------------------- */
/* Test Connection                                                                      */

static void
reset_test (HogaPreferencesWindow *self)
{
  self->testing = FALSE;
  gtk_spinner_stop (self->test_spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->test_result_icon), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), TRUE);
  adw_action_row_set_subtitle (self->test_row,
                               g_object_get_data (G_OBJECT (self->test_row), SUBTITLE_KEY));
}

static void
start_test (HogaPreferencesWindow *self,
            const char            *appkey,
            const char            *secretkey)
{
  if (!g_signal_has_handler_pending (self, signals[TEST_CONNECTION], 0, FALSE))
    {
      hoga_preferences_window_show_test_result (self, FALSE,
                                                _("Testing the connection is not "
                                                  "available here."));
      return;
    }
  g_signal_emit (self, signals[TEST_CONNECTION], 0, profile_nick (self), appkey, secretkey);
}

static void
test_lookup_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(KeyCall) call = user_data;
  HogaPreferencesWindow *self = call->self;
  g_autoptr(HogaSecretKeys) keys = NULL;
  g_autoptr(GError) error = NULL;

  keys = hoga_secret_store_lookup_finish (HOGA_SECRET_STORE (source), result, &error);
  if (!key_call_is_current (call))
    return;

  if (keys == NULL)
    hoga_preferences_window_show_test_result (self, FALSE, error->message);
  else if (keys->appkey == NULL || keys->secretkey == NULL)
    hoga_preferences_window_show_test_result (self, FALSE,
                                              _("No keys to test: enter the app key and "
                                                "the secret key, or save them first."));
  else
    start_test (self, keys->appkey, keys->secretkey);
}

static void
test_clicked_cb (HogaPreferencesWindow *self)
{
  gboolean no_appkey = editable_is_empty (self->appkey_row);
  gboolean no_secretkey = editable_is_empty (self->secretkey_row);

  if (self->testing || self->profile == PROFILE_SIMULATED)
    return;

  if (no_appkey != no_secretkey)
    {
      hoga_preferences_window_show_test_result (self, FALSE,
                                                _("Enter both the app key and the secret "
                                                  "key, or neither to test the saved "
                                                  "ones."));
      return;
    }

  self->testing = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->test_result_icon), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), TRUE);
  gtk_spinner_start (self->test_spinner);
  adw_action_row_set_subtitle (self->test_row, _("Testing…"));

  if (!no_appkey)
    start_test (self, gtk_editable_get_text (GTK_EDITABLE (self->appkey_row)),
                gtk_editable_get_text (GTK_EDITABLE (self->secretkey_row)));
  else
    hoga_secret_store_lookup_async (self->secret_store, profile_nick (self),
                                    self->key_cancellable, test_lookup_cb,
                                    key_call_new (self));
}

/* ---------------------------------------------------------------------------------- */
/* Profile                                                                              */

static void
show_profile (HogaPreferencesWindow *self)
{
  gboolean simulated = self->profile == PROFILE_SIMULATED;

  self->updating_profile = TRUE;
  adw_combo_row_set_selected (self->profile_row, self->profile);
  self->updating_profile = FALSE;

  gtk_widget_set_sensitive (GTK_WIDGET (self->custom_group), self->profile == PROFILE_CUSTOM);
  gtk_widget_set_visible (GTK_WIDGET (self->no_keys_row), simulated);
  gtk_widget_set_visible (GTK_WIDGET (self->appkey_row), !simulated);
  gtk_widget_set_visible (GTK_WIDGET (self->secretkey_row), !simulated);
  gtk_widget_set_visible (GTK_WIDGET (self->key_state_row), !simulated);
  gtk_widget_set_visible (GTK_WIDGET (self->test_row), !simulated);
}

static void
profile_setting_changed_cb (HogaPreferencesWindow *self)
{
  g_autofree char *nick = g_settings_get_string (get_child_settings (self, "broker"), "profile");
  guint profile = PROFILE_SIMULATED;

  for (guint i = 0; profile_nicks[i] != NULL; i++)
    {
      if (g_str_equal (profile_nicks[i], nick))
        profile = i;
    }

  if (profile == self->profile && adw_combo_row_get_selected (self->profile_row) == profile)
    return;

  /* Another profile's keys: what was typed or tested belongs to the previous one. */
  self->profile = profile;
  show_profile (self);
  clear_key_entries (self);
  reset_test (self);
  refresh_key_state (self);
}

/* Translators: the word to type to switch to real trading. Keep it short and easy to
 * type; the Korean translation is “실전”. */
#define CONFIRM_WORD N_("REAL")

static gboolean
confirm_text_matches (HogaPreferencesWindow *self)
{
  g_autofree char *typed = g_strstrip (g_strdup (gtk_editable_get_text (self->confirm_entry)));
  g_autofree char *typed_nfc = g_utf8_normalize (typed, -1, G_NORMALIZE_NFC);
  g_autofree char *word_nfc = g_utf8_normalize (_(CONFIRM_WORD), -1, G_NORMALIZE_NFC);

  return typed_nfc != NULL && g_strcmp0 (typed_nfc, word_nfc) == 0;
}

static void
confirm_entry_changed_cb (HogaPreferencesWindow *self)
{
  adw_message_dialog_set_response_enabled (self->confirm_dialog, "confirm",
                                           confirm_text_matches (self));
}

static void
confirm_entry_activate_cb (HogaPreferencesWindow *self)
{
  if (confirm_text_matches (self))
    adw_message_dialog_response (self->confirm_dialog, "confirm");
}

static void
confirm_response_cb (AdwMessageDialog      *dialog,
                     const char            *response,
                     HogaPreferencesWindow *self)
{
  /* Checked again: a response can be emitted whether or not it is enabled. */
  gboolean confirmed = g_str_equal (response, "confirm") && confirm_text_matches (self);

  self->confirm_dialog = NULL;
  self->confirm_entry = NULL;

  if (confirmed)
    {
      g_message ("Switched to the real profile after a typed confirmation");
      g_settings_set_string (get_child_settings (self, "broker"), "profile", "real");
    }
  else
    {
      show_profile (self);
    }
}

static void
confirm_real_profile (HogaPreferencesWindow *self)
{
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Trade With Real Money?"), NULL));
  adw_message_dialog_format_body (dialog,
                                  /* Translators: %s is the word to type, CONFIRM_WORD */
                                  _("The real profile sends orders to your Kiwoom account, "
                                    "and the automatic rules buy and sell with real money. "
                                    "Type “%s” to confirm."),
                                  _(CONFIRM_WORD));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "confirm", _("_Use Real Trading"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "confirm", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (dialog, "confirm", FALSE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");

  entry = gtk_entry_new ();
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Confirmation word"),
                                  -1);
  adw_message_dialog_set_extra_child (dialog, entry);

  self->confirm_dialog = dialog;
  self->confirm_entry = GTK_EDITABLE (entry);
  g_signal_connect_object (entry, "changed", G_CALLBACK (confirm_entry_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (entry, "activate", G_CALLBACK (confirm_entry_activate_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_response_cb), self, 0);

  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
profile_row_selected_cb (HogaPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->profile_row);

  if (self->updating_profile || selected == self->profile
      || selected >= G_N_ELEMENTS (profile_nicks) - 1)
    return;

  if (selected == PROFILE_REAL)
    {
      if (self->confirm_dialog == NULL)
        confirm_real_profile (self);
      return;
    }
  g_settings_set_string (get_child_settings (self, "broker"), "profile", profile_nicks[selected]);
}

/* ---------------------------------------------------------------------------------- */
/* Set-up                                                                               */

static void
bind_inputs (HogaPreferencesWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      const KeyInput *input = &inputs[i];
      GSettings *settings = get_child_settings (self, input->child);
      GtkWidget *widget = get_template_widget (self, input->input);

      switch (input->kind)
        {
        case INPUT_NUMBER:
          setup_number_range (settings, input, GTK_SPIN_BUTTON (widget));
          g_settings_bind_with_mapping (settings, input->key, widget, "value",
                                        G_SETTINGS_BIND_DEFAULT,
                                        number_get_mapping, number_set_mapping,
                                        (gpointer) input, NULL);
          break;

        case INPUT_SWITCH:
          g_settings_bind (settings, input->key, widget, "active", G_SETTINGS_BIND_DEFAULT);
          break;

        case INPUT_CHOICE:
          g_settings_bind_with_mapping (settings, input->key, widget, "selected",
                                        G_SETTINGS_BIND_DEFAULT,
                                        choice_get_mapping, choice_set_mapping,
                                        (gpointer) input, NULL);
          break;

        case INPUT_TEXT:
          setup_text (self, input);
          break;

        case INPUT_PROFILE:
        default:
          break;
        }
    }

  /* The profile last: it may look up the keyring. */
  self->profile = G_MAXUINT;
  g_signal_connect_object (get_child_settings (self, "broker"), "changed::profile",
                           G_CALLBACK (profile_setting_changed_cb), self, G_CONNECT_SWAPPED);
  profile_setting_changed_cb (self);
  g_signal_connect_object (self->profile_row, "notify::selected",
                           G_CALLBACK (profile_row_selected_cb), self, G_CONNECT_SWAPPED);
}

static void
hoga_preferences_window_constructed (GObject *object)
{
  HogaPreferencesWindow *self = (HogaPreferencesWindow *) object;

  G_OBJECT_CLASS (hoga_preferences_window_parent_class)->constructed (object);

  g_assert (G_IS_SETTINGS (self->settings));
  g_assert (HOGA_IS_SECRET_STORE (self->secret_store));

  for (guint i = 0; i < G_N_ELEMENTS (children); i++)
    self->child_settings[i] = g_settings_get_child (self->settings, children[i]);

  g_object_set_data_full (G_OBJECT (self->test_row), SUBTITLE_KEY,
                          g_strdup (adw_action_row_get_subtitle (self->test_row)), g_free);
  bind_inputs (self);
}

static void
hoga_preferences_window_dispose (GObject *object)
{
  HogaPreferencesWindow *self = (HogaPreferencesWindow *) object;

  g_cancellable_cancel (self->key_cancellable);
  if (self->confirm_dialog != NULL)
    {
      AdwMessageDialog *dialog = g_steal_pointer (&self->confirm_dialog);

      self->confirm_entry = NULL;
      g_signal_handlers_disconnect_by_data (dialog, self);
      gtk_window_destroy (GTK_WINDOW (dialog));
    }

  /* First: the bindings keep the settings alive while the inputs are torn down, and an
   * entry losing the focus then must not write through a half-disposed window. */
  for (guint i = 0; i < G_N_ELEMENTS (children); i++)
    {
      if (self->child_settings[i] != NULL)
        g_signal_handlers_disconnect_by_data (self->child_settings[i], self);
      g_clear_object (&self->child_settings[i]);
    }
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), HOGA_TYPE_PREFERENCES_WINDOW);

  g_clear_object (&self->secret_store);
  g_clear_object (&self->key_cancellable);

  G_OBJECT_CLASS (hoga_preferences_window_parent_class)->dispose (object);
}

static void
hoga_preferences_window_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  HogaPreferencesWindow *self = HOGA_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_SECRET_STORE:
      g_value_set_object (value, self->secret_store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hoga_preferences_window_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  HogaPreferencesWindow *self = HOGA_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_SECRET_STORE:
      self->secret_store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hoga_preferences_window_class_init (HogaPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = hoga_preferences_window_constructed;
  object_class->dispose = hoga_preferences_window_dispose;
  object_class->get_property = hoga_preferences_window_get_property;
  object_class->set_property = hoga_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SECRET_STORE] =
    g_param_spec_object ("secret-store", NULL, NULL,
                         HOGA_TYPE_SECRET_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HogaPreferencesWindow::test-connection:
   * @self: the window
   * @profile: the profile's nick
   * @appkey: the app key to test
   * @secretkey: the secret key to test
   *
   * The user asked to test the keys. The handler answers, later, with
   * hoga_preferences_window_show_test_result(). The keys are only valid during the
   * emission: copy them if needed, and never log them.
   */
  signals[TEST_CONNECTION] =
    g_signal_new ("test-connection",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/hoga/Hoga/hoga-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HogaPreferencesWindow, profile_row);
  gtk_widget_class_bind_template_child (widget_class, HogaPreferencesWindow, custom_group);
  gtk_widget_class_bind_template_child (widget_class, HogaPreferencesWindow, no_keys_row);
  gtk_widget_class_bind_template_child (widget_class, HogaPreferencesWindow, appkey_row);
  gtk_widget_class_bind_template_child (widget_class, HogaPreferencesWindow, secretkey_row);
  gtk_widget_class_bind_template_child (widget_class, HogaPreferencesWindow, key_state_row);
  gtk_widget_class_bind_template_child (widget_class, HogaPreferencesWindow, forget_button);
  gtk_widget_class_bind_template_child (widget_class, HogaPreferencesWindow, save_button);
  gtk_widget_class_bind_template_child (widget_class, HogaPreferencesWindow, test_row);
  gtk_widget_class_bind_template_child (widget_class, HogaPreferencesWindow, test_result_icon);
  gtk_widget_class_bind_template_child (widget_class, HogaPreferencesWindow, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, HogaPreferencesWindow, test_button);

  /* The table's inputs and rows, reached by name (gtk_widget_get_template_child()). */
  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      if (inputs[i].kind == INPUT_PROFILE)
        continue;
      gtk_widget_class_bind_template_child_full (widget_class, inputs[i].input, FALSE, 0);
      if (!g_str_equal (inputs[i].row, inputs[i].input))
        gtk_widget_class_bind_template_child_full (widget_class, inputs[i].row, FALSE, 0);
    }

  gtk_widget_class_bind_template_callback (widget_class, key_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, forget_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, test_clicked_cb);
}

static void
hoga_preferences_window_init (HogaPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->key_cancellable = g_cancellable_new ();
}

/**
 * hoga_preferences_window_new:
 * @settings: the root io.github.hoga.Hoga settings
 * @secret_store: where the Kiwoom keys are kept
 *
 * Returns: (transfer full): a new preferences window
 */
HogaPreferencesWindow *
hoga_preferences_window_new (GSettings       *settings,
                             HogaSecretStore *secret_store)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (HOGA_IS_SECRET_STORE (secret_store), NULL);

  return g_object_new (HOGA_TYPE_PREFERENCES_WINDOW,
                       "settings", settings,
                       "secret-store", secret_store,
                       NULL);
}

/**
 * hoga_preferences_window_show_test_result:
 * @self: the window
 * @ok: whether the keys worked
 * @message: what happened, for the user
 */
void
hoga_preferences_window_show_test_result (HogaPreferencesWindow *self,
                                          gboolean               ok,
                                          const char            *message)
{
  g_return_if_fail (HOGA_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (message != NULL);

  self->testing = FALSE;
  gtk_spinner_stop (self->test_spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), TRUE);

  adw_action_row_set_subtitle (self->test_row, message);
  gtk_image_set_from_icon_name (self->test_result_icon,
                                ok ? "emblem-ok-symbolic" : "dialog-error-symbolic");
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_result_icon), ok ? "error" : "success");
  gtk_widget_add_css_class (GTK_WIDGET (self->test_result_icon), ok ? "success" : "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->test_result_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  ok ? _("Succeeded") : _("Failed"),
                                  -1);
  gtk_widget_set_visible (GTK_WIDGET (self->test_result_icon), TRUE);
}

GtkWidget *
hoga_preferences_window_get_key_input (HogaPreferencesWindow *self,
                                       const char            *child,
                                       const char            *key)
{
  const KeyInput *input;

  g_return_val_if_fail (HOGA_IS_PREFERENCES_WINDOW (self), NULL);

  input = find_input (child, key);
  return input != NULL ? get_template_widget (self, input->input) : NULL;
}

GtkWidget *
hoga_preferences_window_get_key_row (HogaPreferencesWindow *self,
                                     const char            *child,
                                     const char            *key)
{
  const KeyInput *input;

  g_return_val_if_fail (HOGA_IS_PREFERENCES_WINDOW (self), NULL);

  input = find_input (child, key);
  return input != NULL ? get_template_widget (self, input->row) : NULL;
}

GtkWidget *
hoga_preferences_window_get_template_widget (HogaPreferencesWindow *self,
                                             const char            *id)
{
  g_return_val_if_fail (HOGA_IS_PREFERENCES_WINDOW (self), NULL);

  return get_template_widget (self, id);
}

AdwMessageDialog *
hoga_preferences_window_get_confirm_dialog (HogaPreferencesWindow *self)
{
  g_return_val_if_fail (HOGA_IS_PREFERENCES_WINDOW (self), NULL);

  return self->confirm_dialog;
}
