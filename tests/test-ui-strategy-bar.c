/* test-ui-strategy-bar.c — the strategy bar: condition drop-downs over a registry that fills
 * late, settings written only by the user, the parameters' mappings and validation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <gtk/gtk.h>

#include "hoga-condition-registry.h"
#include "hoga-strategy-bar.h"
#include "hoga-ui.h"

typedef struct {
  GSettings             *settings;
  HogaConditionRegistry *registry;
  HogaStrategyBar       *bar;
  GPtrArray             *writes;    /* keys changed, in order */
} Fixture;

static void
flush_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
settings_changed_cb (GSettings  *settings,
                     const char *key,
                     GPtrArray  *writes)
{
  g_ptr_array_add (writes, g_strdup (key));
}

static guint
count_condition_writes (Fixture *fixture)
{
  guint n = 0;

  for (guint i = 0; i < fixture->writes->len; i++)
    {
      const char *key = g_ptr_array_index (fixture->writes, i);

      if (g_str_has_prefix (key, "buy-condition") || g_str_has_prefix (key, "sell-condition"))
        n++;
    }

  return n;
}

/* @pairs: seq, name, seq, name, …, NULL — as the broker lists them (CNSRLST). */
static void
fill_registry (HogaConditionRegistry *registry,
               const char * const    *pairs)
{
  g_autoptr(GPtrArray) infos = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; pairs != NULL && pairs[i] != NULL; i += 2)
    {
      HogaConditionInfo *info = g_new0 (HogaConditionInfo, 1);

      g_strlcpy (info->seq, pairs[i], sizeof info->seq);
      g_strlcpy (info->name, pairs[i + 1], sizeof info->name);
      g_ptr_array_add (infos, info);
    }

  hoga_condition_registry_set_conditions (registry, infos);
  flush_main_context ();
}

static const char * const three_conditions[] = {
  "4", "거래량 급증",
  "7", "돌파",
  "9", "Gap up",
  NULL,
};

static gpointer
child (Fixture    *fixture,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (fixture->bar),
                                                   HOGA_TYPE_STRATEGY_BAR, name);

  g_assert_nonnull (object);
  return object;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GSettings) root = g_settings_new ("io.github.hoga.Hoga");
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  /* The memory backend lives as long as the process: start each test from the defaults. */
  fixture->settings = g_settings_get_child (root, "strategy");
  g_object_get (fixture->settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (fixture->settings, keys[i]);
  flush_main_context ();

  fixture->registry = hoga_condition_registry_new ();
  fixture->writes = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fixture->settings, "changed", G_CALLBACK (settings_changed_cb), fixture->writes);
}

static void
fixture_make_bar (Fixture *fixture)
{
  fixture->bar = g_object_ref_sink (HOGA_STRATEGY_BAR (hoga_strategy_bar_new (fixture->settings)));
  flush_main_context ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (fixture->settings, fixture->writes);
  g_clear_object (&fixture->bar);
  g_clear_object (&fixture->registry);
  g_clear_object (&fixture->settings);
  g_clear_pointer (&fixture->writes, g_ptr_array_unref);
}

static void
assert_setting (Fixture    *fixture,
                const char *key,
                const char *expected)
{
  g_autofree char *value = g_settings_get_string (fixture->settings, key);

  g_assert_cmpstr (value, ==, expected);
}

static void
test_conditions_listed (Fixture       *fixture,
                        gconstpointer  data)
{
  const char * const dropdowns[] = { "buy_dropdown", "sell_dropdown" };

  fixture_make_bar (fixture);
  hoga_strategy_bar_set_registry (fixture->bar, fixture->registry);
  fill_registry (fixture->registry, three_conditions);

  for (guint d = 0; d < G_N_ELEMENTS (dropdowns); d++)
    {
      GtkDropDown *dropdown = child (fixture, dropdowns[d]);
      GListModel *model = gtk_drop_down_get_model (dropdown);
      GtkExpression *search = gtk_drop_down_get_expression (dropdown);
      g_autoptr(GObject) none = NULL;

      g_assert_true (gtk_drop_down_get_enable_search (dropdown));
      g_assert_nonnull (search);
      g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);

      none = g_list_model_get_item (model, 0);
      g_assert_true (GTK_IS_STRING_OBJECT (none));
      g_assert_cmpstr (gtk_string_object_get_string (GTK_STRING_OBJECT (none)), ==, "None");

      for (guint i = 0; i < 3; i++)
        {
          g_autoptr(GObject) item = g_list_model_get_item (model, i + 1);
          g_auto(GValue) value = G_VALUE_INIT;

          g_assert_true (HOGA_IS_CONDITION (item));
          g_assert_cmpstr (hoga_condition_get_seq (HOGA_CONDITION (item)), ==, three_conditions[2 * i]);
          /* The search matches names. */
          g_assert_true (gtk_expression_evaluate (search, item, &value));
          g_assert_cmpstr (g_value_get_string (&value), ==, three_conditions[2 * i + 1]);
        }

      g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, 0);
    }

  g_assert_cmpuint (fixture->writes->len, ==, 0);
}

/* Records the pair a reader sees whenever one of the buy keys changes. */
static void
buy_pair_changed_cb (GSettings  *settings,
                     const char *key,
                     GPtrArray  *pairs)
{
  g_autofree char *name = g_settings_get_string (settings, "buy-condition");
  g_autofree char *seq = g_settings_get_string (settings, "buy-condition-seq");

  if (g_str_has_prefix (key, "buy-condition"))
    g_ptr_array_add (pairs, g_strdup_printf ("%s|%s", name, seq));
}

static void
test_conditions_select_writes (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);
  GtkDropDown *buy;
  GtkDropDown *sell;

  g_signal_connect (fixture->settings, "changed", G_CALLBACK (buy_pair_changed_cb), pairs);
  fixture_make_bar (fixture);
  hoga_strategy_bar_set_registry (fixture->bar, fixture->registry);
  fill_registry (fixture->registry, three_conditions);
  buy = child (fixture, "buy_dropdown");
  sell = child (fixture, "sell_dropdown");

  gtk_drop_down_set_selected (buy, 1);
  flush_main_context ();
  assert_setting (fixture, "buy-condition", "거래량 급증");
  assert_setting (fixture, "buy-condition-seq", "4");
  assert_setting (fixture, "sell-condition", "");
  g_assert_cmpuint (gtk_drop_down_get_selected (buy), ==, 1);

  /* One change of both keys: no reader saw the new name with the old seq. */
  g_assert_cmpuint (pairs->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (pairs, 0), ==, "거래량 급증|4");
  g_assert_cmpstr (g_ptr_array_index (pairs, 1), ==, "거래량 급증|4");

  gtk_drop_down_set_selected (sell, 3);
  flush_main_context ();
  assert_setting (fixture, "sell-condition", "Gap up");
  assert_setting (fixture, "sell-condition-seq", "9");
  assert_setting (fixture, "buy-condition-seq", "4");

  /* "None" clears both keys. */
  gtk_drop_down_set_selected (buy, 0);
  flush_main_context ();
  assert_setting (fixture, "buy-condition", "");
  assert_setting (fixture, "buy-condition-seq", "");
  assert_setting (fixture, "sell-condition-seq", "9");
  g_assert_cmpuint (gtk_drop_down_get_selected (buy), ==, 0);
  g_assert_false (gtk_widget_get_visible (child (fixture, "buy_warning")));
  g_assert_cmpuint (pairs->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (pairs, 2), ==, "|");
  g_assert_cmpstr (g_ptr_array_index (pairs, 3), ==, "|");

  g_signal_handlers_disconnect_by_data (fixture->settings, pairs);
}

static void
test_conditions_preset_by_name (Fixture       *fixture,
                                gconstpointer  data)
{
  const char * const renumbered[] = { "2", "돌파", "11", "거래량 급증", NULL };
  GtkDropDown *buy;

  /* The seq is stale: the condition was re-created under a new number. */
  g_settings_set_string (fixture->settings, "buy-condition", "거래량 급증");
  g_settings_set_string (fixture->settings, "buy-condition-seq", "7");
  flush_main_context ();
  g_ptr_array_set_size (fixture->writes, 0);

  fixture_make_bar (fixture);
  buy = child (fixture, "buy_dropdown");
  g_assert_cmpuint (gtk_drop_down_get_selected (buy), ==, 0);

  /* The engine has started; the broker has not answered yet. */
  hoga_strategy_bar_set_registry (fixture->bar, fixture->registry);
  flush_main_context ();
  g_assert_cmpuint (gtk_drop_down_get_selected (buy), ==, 0);
  g_assert_false (gtk_widget_get_visible (child (fixture, "buy_warning")));

  /* The name wins over the seq (7 is "돌파" here). */
  fill_registry (fixture->registry, three_conditions);
  g_assert_cmpuint (gtk_drop_down_get_selected (buy), ==, 1);
  g_assert_false (gtk_widget_get_visible (child (fixture, "buy_warning")));

  /* A reconnect re-fills the list in another order: the selection follows the name. */
  fill_registry (fixture->registry, renumbered);
  g_assert_cmpuint (gtk_drop_down_get_selected (buy), ==, 2);

  /* Emptied, then filled again. */
  fill_registry (fixture->registry, NULL);
  g_assert_cmpuint (gtk_drop_down_get_selected (buy), ==, 0);
  g_assert_false (gtk_widget_get_visible (child (fixture, "buy_warning")));
  fill_registry (fixture->registry, three_conditions);
  g_assert_cmpuint (gtk_drop_down_get_selected (buy), ==, 1);

  /* Nothing of this was the user's: nothing was written. */
  g_assert_cmpuint (count_condition_writes (fixture), ==, 0);
  assert_setting (fixture, "buy-condition", "거래량 급증");
  assert_setting (fixture, "buy-condition-seq", "7");
}

static void
test_conditions_preset_by_seq (Fixture       *fixture,
                               gconstpointer  data)
{
  const char * const renamed[] = { "4", "거래량 급증", "7", "신고가 돌파", "9", "Gap up", NULL };
  GtkDropDown *sell;

  g_settings_set_string (fixture->settings, "sell-condition", "돌파 (old)");
  g_settings_set_string (fixture->settings, "sell-condition-seq", "7");
  flush_main_context ();
  g_ptr_array_set_size (fixture->writes, 0);

  /* Registry given at construction, filled later. */
  fixture->bar = g_object_ref_sink (g_object_new (HOGA_TYPE_STRATEGY_BAR,
                                                  "settings", fixture->settings,
                                                  "registry", fixture->registry,
                                                  NULL));
  sell = child (fixture, "sell_dropdown");
  g_assert_cmpuint (gtk_drop_down_get_selected (sell), ==, 0);

  fill_registry (fixture->registry, three_conditions);
  g_assert_cmpuint (gtk_drop_down_get_selected (sell), ==, 2);
  g_assert_false (gtk_widget_get_visible (child (fixture, "sell_warning")));

  /* Renamed on the broker's side (same seq, same object): still that one. */
  fill_registry (fixture->registry, renamed);
  g_assert_cmpuint (gtk_drop_down_get_selected (sell), ==, 2);
  g_assert_false (gtk_widget_get_visible (child (fixture, "sell_warning")));

  g_assert_cmpuint (count_condition_writes (fixture), ==, 0);
  assert_setting (fixture, "sell-condition", "돌파 (old)");
  assert_setting (fixture, "sell-condition-seq", "7");
}

static void
test_conditions_rename_matches (Fixture       *fixture,
                                gconstpointer  data)
{
  const char * const renamed[] = { "4", "거래량 급증", "7", "Breakout", "9", "Gap up", NULL };
  GtkWidget *warning;
  GtkDropDown *buy;

  /* Named only, and not yet: a rename with no list change must still be noticed. */
  g_settings_set_string (fixture->settings, "buy-condition", "Breakout");
  fixture_make_bar (fixture);
  hoga_strategy_bar_set_registry (fixture->bar, fixture->registry);
  fill_registry (fixture->registry, three_conditions);
  buy = child (fixture, "buy_dropdown");
  warning = child (fixture, "buy_warning");
  g_assert_cmpuint (gtk_drop_down_get_selected (buy), ==, 0);
  g_assert_true (gtk_widget_get_visible (warning));

  fill_registry (fixture->registry, renamed);
  g_assert_cmpuint (gtk_drop_down_get_selected (buy), ==, 2);
  g_assert_false (gtk_widget_get_visible (warning));
}

static void
test_conditions_unknown_warns (Fixture       *fixture,
                               gconstpointer  data)
{
  const char * const with_it[] = { "4", "거래량 급증", "12", "Gone", NULL };
  const char *tooltip;
  GtkWidget *warning;
  GtkDropDown *buy;

  g_settings_set_string (fixture->settings, "buy-condition", "Gone");
  g_settings_set_string (fixture->settings, "buy-condition-seq", "12");
  flush_main_context ();
  g_ptr_array_set_size (fixture->writes, 0);

  fixture_make_bar (fixture);
  hoga_strategy_bar_set_registry (fixture->bar, fixture->registry);
  buy = child (fixture, "buy_dropdown");
  warning = child (fixture, "buy_warning");
  g_assert_false (gtk_widget_get_visible (warning));

  fill_registry (fixture->registry, three_conditions);
  g_assert_cmpuint (gtk_drop_down_get_selected (buy), ==, 0);
  g_assert_true (gtk_widget_get_visible (warning));
  tooltip = gtk_widget_get_tooltip_text (warning);
  g_assert_nonnull (tooltip);
  g_assert_nonnull (strstr (tooltip, "“Gone”"));
  g_assert_nonnull (strstr (tooltip, "not among"));
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (buy),
                                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
  g_assert_false (gtk_widget_get_visible (child (fixture, "sell_warning")));

  /* Kept, not cleared. */
  g_assert_cmpuint (count_condition_writes (fixture), ==, 0);
  assert_setting (fixture, "buy-condition", "Gone");
  assert_setting (fixture, "buy-condition-seq", "12");

  /* Back on the broker: selected, no warning. */
  fill_registry (fixture->registry, with_it);
  g_assert_cmpuint (gtk_drop_down_get_selected (buy), ==, 2);
  g_assert_false (gtk_widget_get_visible (warning));

  /* Another registry (a new engine) without it. */
  {
    g_autoptr(HogaConditionRegistry) other = hoga_condition_registry_new ();

    fill_registry (other, three_conditions);
    hoga_strategy_bar_set_registry (fixture->bar, other);
    flush_main_context ();
    g_assert_cmpuint (gtk_drop_down_get_selected (buy), ==, 0);
    g_assert_true (gtk_widget_get_visible (warning));
    g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (buy)), ==, 4);

    hoga_strategy_bar_set_registry (fixture->bar, NULL);
    flush_main_context ();
    g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (buy)), ==, 1);
    g_assert_false (gtk_widget_get_visible (warning));
  }

  g_assert_cmpuint (count_condition_writes (fixture), ==, 0);
}

static void
test_conditions_settings_change (Fixture       *fixture,
                                 gconstpointer  data)
{
  GtkDropDown *sell;

  fixture_make_bar (fixture);
  hoga_strategy_bar_set_registry (fixture->bar, fixture->registry);
  fill_registry (fixture->registry, three_conditions);
  sell = child (fixture, "sell_dropdown");

  /* Changed elsewhere (preferences, another instance). */
  g_settings_set_string (fixture->settings, "sell-condition", "Gap up");
  flush_main_context ();
  g_assert_cmpuint (gtk_drop_down_get_selected (sell), ==, 3);

  g_settings_set_string (fixture->settings, "sell-condition", "");
  g_settings_set_string (fixture->settings, "sell-condition-seq", "7");
  flush_main_context ();
  g_assert_cmpuint (gtk_drop_down_get_selected (sell), ==, 2);

  /* The bar wrote none of it back. */
  g_assert_cmpuint (count_condition_writes (fixture), ==, 3);
  assert_setting (fixture, "sell-condition", "");
}

static void
test_stop_loss_mapping (Fixture       *fixture,
                        gconstpointer  data)
{
  GtkSpinButton *spin;

  fixture_make_bar (fixture);
  spin = child (fixture, "stop_loss_spin");

  /* Shown as the loss it is: 250 bp ↔ −2.50 %. */
  g_settings_set_int (fixture->settings, "stop-loss", 250);
  flush_main_context ();
  g_assert_cmpfloat (gtk_spin_button_get_value (spin), ==, -2.50);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "−2.50 %");

  gtk_spin_button_set_value (spin, -3.75);
  flush_main_context ();
  g_assert_cmpint (g_settings_get_int (fixture->settings, "stop-loss"), ==, 375);

  /* 0.29 × 100 is 28.999… in binary. */
  gtk_spin_button_set_value (spin, -0.29);
  flush_main_context ();
  g_assert_cmpint (g_settings_get_int (fixture->settings, "stop-loss"), ==, 29);

  /* The range is the schema's (1 to 5000 bp). */
  {
    double min;
    double max;

    gtk_spin_button_get_range (spin, &min, &max);
    g_assert_cmpfloat (min, ==, -50.0);
    g_assert_cmpfloat (max, ==, -0.01);
  }

  /* Typed: with or without the sign, with the unit. */
  gtk_editable_set_text (GTK_EDITABLE (spin), "1.5");
  gtk_spin_button_update (spin);
  flush_main_context ();
  g_assert_cmpint (g_settings_get_int (fixture->settings, "stop-loss"), ==, 150);

  gtk_editable_set_text (GTK_EDITABLE (spin), "−4.25 %");
  gtk_spin_button_update (spin);
  flush_main_context ();
  g_assert_cmpint (g_settings_get_int (fixture->settings, "stop-loss"), ==, 425);
}

static void
test_percent_off (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkSpinButton *take_profit;
  GtkSpinButton *trailing_start;
  GtkWidget *trailing_drop;

  fixture_make_bar (fixture);
  take_profit = child (fixture, "take_profit_spin");
  trailing_start = child (fixture, "trailing_start_spin");
  trailing_drop = child (fixture, "trailing_drop_spin");

  /* take-profit's default is 0: off. */
  g_assert_cmpfloat (gtk_spin_button_get_value (take_profit), ==, 0.0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (take_profit)), ==, "Off");

  gtk_spin_button_set_value (take_profit, 12.5);
  flush_main_context ();
  g_assert_cmpint (g_settings_get_int (fixture->settings, "take-profit"), ==, 1250);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (take_profit)), ==, "+12.50 %");

  gtk_editable_set_text (GTK_EDITABLE (take_profit), "Off");
  gtk_spin_button_update (take_profit);
  flush_main_context ();
  g_assert_cmpint (g_settings_get_int (fixture->settings, "take-profit"), ==, 0);

  /* Trailing start 300 bp by default; off makes the drop moot. */
  g_assert_cmpfloat (gtk_spin_button_get_value (trailing_start), ==, 3.0);
  g_assert_true (gtk_widget_get_sensitive (trailing_drop));
  g_settings_set_int (fixture->settings, "trailing-start", 0);
  flush_main_context ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (trailing_start)), ==, "Off");
  g_assert_false (gtk_widget_get_sensitive (trailing_drop));
  g_assert_cmpint (g_settings_get_int (fixture->settings, "trailing-drop"), ==, 100);
}

static void
test_ranges_from_schema (Fixture       *fixture,
                         gconstpointer  data)
{
  const struct {
    const char *spin;
    double      min;
    double      max;
  } expected[] = {
    { "amount_spin", 1000, 1000000000 },
    { "max_positions_spin", 1, 100 },
    { "trailing_start_spin", 0, 100 },
    { "trailing_drop_spin", 0.01, 50 },
    { "take_profit_spin", 0, 500 },
    { "sell_ticks_spin", -10, 10 },
  };
  GtkSpinButton *amount;

  fixture_make_bar (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      double min;
      double max;

      gtk_spin_button_get_range (child (fixture, expected[i].spin), &min, &max);
      g_assert_cmpfloat_with_epsilon (min, expected[i].min, 1e-9);
      g_assert_cmpfloat_with_epsilon (max, expected[i].max, 1e-9);
    }

  amount = child (fixture, "amount_spin");
  g_assert_cmpfloat (gtk_spin_button_get_value (amount), ==, 1000000);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (amount)), ==, "1,000,000");
  g_assert_cmpfloat (gtk_adjustment_get_step_increment (gtk_spin_button_get_adjustment (amount)),
                     ==, 100000);

  gtk_editable_set_text (GTK_EDITABLE (amount), "2,500,000");
  gtk_spin_button_update (amount);
  flush_main_context ();
  g_assert_cmpint (g_settings_get_int64 (fixture->settings, "amount-per-stock"), ==, 2500000);

  gtk_spin_button_set_value (child (fixture, "max_positions_spin"), 8);
  flush_main_context ();
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "max-positions"), ==, 8);
}

static void
test_sell_type_ticks (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkDropDown *sell_type;
  GtkSpinButton *ticks;

  fixture_make_bar (fixture);
  sell_type = child (fixture, "sell_type_dropdown");
  ticks = child (fixture, "sell_ticks_spin");

  /* Market by default: the ticks do not apply. */
  g_assert_cmpuint (gtk_drop_down_get_selected (sell_type), ==, 0);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (ticks)));

  gtk_drop_down_set_selected (sell_type, 1);
  flush_main_context ();
  g_assert_cmpint (g_settings_get_enum (fixture->settings, "sell-type"), ==, 0 /* limit */);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (ticks)));

  gtk_spin_button_set_value (ticks, -2);
  flush_main_context ();
  g_assert_cmpint (g_settings_get_int (fixture->settings, "sell-limit-offset-ticks"), ==, -2);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ticks)), ==, "-2");
  gtk_spin_button_set_value (ticks, 3);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ticks)), ==, "+3");

  g_settings_set_string (fixture->settings, "sell-type", "market");
  flush_main_context ();
  g_assert_cmpuint (gtk_drop_down_get_selected (sell_type), ==, 0);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (ticks)));
}

static void
commit_entry (GtkEntry   *entry,
              const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "activate");
  flush_main_context ();
}

static void
test_trading_window (Fixture       *fixture,
                     gconstpointer  data)
{
  const char * const not_times[] = { "25:00", "9", "09:60", "0900", "07:59", "20:01", "ab:cd", "" };
  GtkEntry *start;
  GtkEntry *end;
  GtkLabel *error;

  fixture_make_bar (fixture);
  start = child (fixture, "window_start_entry");
  end = child (fixture, "window_end_entry");
  error = child (fixture, "window_error_label");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (start)), ==, "09:00");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (end)), ==, "15:00");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error)));

  for (guint i = 0; i < G_N_ELEMENTS (not_times); i++)
    {
      const char *message;

      commit_entry (start, not_times[i]);
      message = gtk_label_get_label (error);
      g_test_message ("“%s”: %s", not_times[i], message);
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error)));
      g_assert_nonnull (strstr (message, "trading-window-start"));
      g_assert_nonnull (strstr (message, "HH:MM"));
      g_assert_nonnull (strstr (message, "08:00"));
      g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (start), "error"));
      assert_setting (fixture, "trading-window-start", "09:00");
    }

  /* A time, but not before the end. */
  commit_entry (start, "16:00");
  g_assert_nonnull (strstr (gtk_label_get_label (error), "trading-window-end"));
  assert_setting (fixture, "trading-window-start", "09:00");

  commit_entry (end, "15:00");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error)));

  /* Accepted and stored as HH:MM. */
  commit_entry (start, " 9:30 ");
  assert_setting (fixture, "trading-window-start", "09:30");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (start)), ==, "09:30");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (start), "error"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error)));

  commit_entry (end, "09:00");
  g_assert_nonnull (strstr (gtk_label_get_label (error), "trading-window-end"));
  assert_setting (fixture, "trading-window-end", "15:00");
  commit_entry (end, "20:00");
  assert_setting (fixture, "trading-window-end", "20:00");

  /* Changed elsewhere: shown. */
  g_settings_set_string (fixture->settings, "trading-window-end", "14:30");
  flush_main_context ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (end)), ==, "14:30");
}

static void
test_accessible (Fixture       *fixture,
                 gconstpointer  data)
{
  const char * const controls[] = {
    "buy_dropdown", "sell_dropdown", "amount_spin", "max_positions_spin", "stop_loss_spin",
    "trailing_start_spin", "trailing_drop_spin", "take_profit_spin", "sell_type_dropdown",
    "sell_ticks_spin", "window_start_entry", "window_end_entry",
  };

  fixture_make_bar (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (controls); i++)
    {
      GtkWidget *control = child (fixture, controls[i]);

      g_test_message ("%s", controls[i]);
      g_assert_true (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (control),
                                                       GTK_ACCESSIBLE_RELATION_LABELLED_BY)
                     || gtk_test_accessible_has_property (GTK_ACCESSIBLE (control),
                                                          GTK_ACCESSIBLE_PROPERTY_LABEL));
      g_assert_nonnull (gtk_widget_get_tooltip_text (control));
    }
}

static void
test_fits_narrow_window (Fixture       *fixture,
                         gconstpointer  data)
{
  const char * const long_names[] = {
    "1", "거래량 급증 + 신고가 돌파 + 외국인 순매수 상위 종목",
    "2", "A very long condition name that goes on and on",
    NULL,
  };
  int minimum;
  int natural;

  g_settings_set_string (fixture->settings, "buy-condition", long_names[1]);
  g_settings_set_string (fixture->settings, "sell-condition", long_names[3]);
  g_settings_set_int64 (fixture->settings, "amount-per-stock", 1000000000);
  fixture_make_bar (fixture);
  hoga_strategy_bar_set_registry (fixture->bar, fixture->registry);
  fill_registry (fixture->registry, long_names);

  gtk_widget_measure (GTK_WIDGET (fixture->bar), GTK_ORIENTATION_HORIZONTAL, -1,
                      &minimum, &natural, NULL, NULL);
  g_test_message ("minimum width %d, natural width %d", minimum, natural);
  g_assert_cmpint (minimum, <=, 1024);
}

static void
test_settings_later (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkSpinButton *stop_loss;
  GtkDropDown *buy;

  /* As a window's template builds it. */
  fixture->bar = g_object_ref_sink (g_object_new (HOGA_TYPE_STRATEGY_BAR, NULL));
  stop_loss = child (fixture, "stop_loss_spin");
  buy = child (fixture, "buy_dropdown");
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (fixture->bar)));

  hoga_strategy_bar_set_registry (fixture->bar, fixture->registry);
  fill_registry (fixture->registry, three_conditions);
  g_settings_set_string (fixture->settings, "buy-condition-seq", "9");
  g_settings_set_int (fixture->settings, "stop-loss", 420);
  flush_main_context ();
  g_assert_cmpuint (gtk_drop_down_get_selected (buy), ==, 0);

  hoga_strategy_bar_set_settings (fixture->bar, fixture->settings);
  g_assert_true (hoga_strategy_bar_get_settings (fixture->bar) == fixture->settings);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (fixture->bar)));
  g_assert_cmpfloat (gtk_spin_button_get_value (stop_loss), ==, -4.20);
  g_assert_cmpuint (gtk_drop_down_get_selected (buy), ==, 3);

  /* Let go: the old settings no longer drive the bar, and the bar no longer writes them. */
  hoga_strategy_bar_set_settings (fixture->bar, NULL);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (fixture->bar)));
  g_settings_set_int (fixture->settings, "stop-loss", 100);
  flush_main_context ();
  g_assert_cmpfloat (gtk_spin_button_get_value (stop_loss), ==, -4.20);
  gtk_spin_button_set_value (stop_loss, -7.0);
  gtk_drop_down_set_selected (buy, 1);
  flush_main_context ();
  g_assert_cmpint (g_settings_get_int (fixture->settings, "stop-loss"), ==, 100);
  assert_setting (fixture, "buy-condition-seq", "9");
}

static void
add_test (const char *path,
          void      (*test) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_set_up, test, fixture_tear_down);
}

int
main (int   argc,
      char *argv[])
{
  /* The strings compared are the English sources. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_message ("no display: the UI tests are skipped");
      g_print ("1..0 # SKIP no display\n");
      return 0;
    }
  hoga_ui_init ();

  add_test ("/ui/strategy-bar/conditions/listed", test_conditions_listed);
  add_test ("/ui/strategy-bar/conditions/select-writes-name-and-seq", test_conditions_select_writes);
  add_test ("/ui/strategy-bar/conditions/preset-matches-name-when-filled", test_conditions_preset_by_name);
  add_test ("/ui/strategy-bar/conditions/preset-falls-back-to-seq", test_conditions_preset_by_seq);
  add_test ("/ui/strategy-bar/conditions/rename-matches-name", test_conditions_rename_matches);
  add_test ("/ui/strategy-bar/conditions/unknown-warns-and-keeps", test_conditions_unknown_warns);
  add_test ("/ui/strategy-bar/conditions/follows-settings", test_conditions_settings_change);
  add_test ("/ui/strategy-bar/stop-loss/basis-points", test_stop_loss_mapping);
  add_test ("/ui/strategy-bar/percent/off-at-zero", test_percent_off);
  add_test ("/ui/strategy-bar/ranges-from-schema", test_ranges_from_schema);
  add_test ("/ui/strategy-bar/sell-type/ticks-for-limit-only", test_sell_type_ticks);
  add_test ("/ui/strategy-bar/trading-window/validated", test_trading_window);
  add_test ("/ui/strategy-bar/settings-given-later", test_settings_later);
  add_test ("/ui/strategy-bar/accessible", test_accessible);
  add_test ("/ui/strategy-bar/fits-1024", test_fits_narrow_window);

  return g_test_run ();
}
