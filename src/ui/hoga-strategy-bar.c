/* hoga-strategy-bar.c — the buy and sell conditions and the strategy's parameters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every control edits a key of the io.github.hoga.Hoga.strategy schema, which the engine
 * watches; nothing here trades. Ranges come from the schema, so the bar cannot offer a
 * value the engine would refuse.
 *
 * The condition drop-downs are the delicate part: their model (a "None" row, then the
 * registry) fills only once the broker has answered, and is re-filled after a reconnect.
 * A selection that moves because the model changed is not the user's choice and is never
 * written; only the settings decide what is shown, and a setting the registry does not
 * know is kept and flagged, not cleared.
 */
#define G_LOG_DOMAIN "hoga-ui"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "hoga-format.h"
#include "hoga-strategy-bar.h"

/* One of the two condition drop-downs and the keys it edits. */
typedef struct {
  const char  *name_key;
  const char  *seq_key;
  GtkDropDown *dropdown;
  GtkWidget   *warning;
} ConditionChoice;

struct _HogaStrategyBar {
  GtkWidget               parent_instance;

  GSettings              *settings;
  HogaConditionRegistry  *registry;
  GListStore             *sections;        /* GListModel: the "None" row, then the registry */
  GListModel             *choices;         /* the drop-downs' model: @sections flattened */
  GPtrArray              *watched;         /* conditions whose renames re-select */
  guint                   quiet;           /* > 0: selections are not the user's */

  ConditionChoice         buy;
  ConditionChoice         sell;

  GtkSpinButton          *amount_spin;
  GtkSpinButton          *max_positions_spin;
  GtkSpinButton          *stop_loss_spin;
  GtkSpinButton          *trailing_start_spin;
  GtkSpinButton          *trailing_drop_spin;
  GtkSpinButton          *take_profit_spin;
  GtkDropDown            *sell_type_dropdown;
  GtkSpinButton          *sell_ticks_spin;
  GtkEntry               *window_start_entry;
  GtkEntry               *window_end_entry;
  GtkLabel               *window_error_label;
};

G_DEFINE_FINAL_TYPE (HogaStrategyBar, hoga_strategy_bar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_REGISTRY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The "None" row comes first in the drop-downs. */
#define NONE_POSITION 0
#define FIRST_CONDITION_POSITION 1

/* The spin buttons show percent for basis points; stop-loss as the loss it is. */
#define SCALE_PERCENT 100
#define SCALE_LOSS_PERCENT (-100)

/* The trading window's bounds, as hoga-settings.c checks them (NXT trades 08:00–20:00). */
#define WINDOW_EARLIEST_MINUTES (8 * 60)
#define WINDOW_LATEST_MINUTES (20 * 60)

/* The sell type drop-down's rows, by the schema's OrderType nicks. */
static const char * const order_type_nicks[] = { "market", "limit" };

static gint64
variant_get_integer (GVariant *variant)
{
  if (g_variant_is_of_type (variant, G_VARIANT_TYPE_INT32))
    return g_variant_get_int32 (variant);
  if (g_variant_is_of_type (variant, G_VARIANT_TYPE_UINT32))
    return g_variant_get_uint32 (variant);
  if (g_variant_is_of_type (variant, G_VARIANT_TYPE_INT64))
    return g_variant_get_int64 (variant);

  g_assert_not_reached ();
}

static GVariant *
variant_new_integer (const GVariantType *type,
                     gint64              value)
{
  if (g_variant_type_equal (type, G_VARIANT_TYPE_INT32))
    return g_variant_new_int32 ((gint32) CLAMP (value, G_MININT32, G_MAXINT32));
  if (g_variant_type_equal (type, G_VARIANT_TYPE_UINT32))
    return g_variant_new_uint32 ((guint32) CLAMP (value, 0, G_MAXUINT32));
  if (g_variant_type_equal (type, G_VARIANT_TYPE_INT64))
    return g_variant_new_int64 (value);

  g_assert_not_reached ();
}

/* Half away from zero: 0.29 × 100 is 28.999… in binary and must store 29. */
static gint64
round_to_integer (double value)
{
  return value >= 0 ? (gint64) (value + 0.5) : -(gint64) (-value + 0.5);
}

static GSettingsSchemaKey *
settings_get_key (GSettings  *settings,
                  const char *key)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  return g_settings_schema_get_key (schema, key);
}

/* Makes @spin's range the key's, in the spin button's unit (the key's value / @scale). */
static void
spin_set_key_range (GtkSpinButton *spin,
                    GSettings     *settings,
                    const char    *key,
                    int            scale)
{
  g_autoptr(GSettingsSchemaKey) schema_key = settings_get_key (settings, key);
  g_autoptr(GVariant) range = g_settings_schema_key_get_range (schema_key);
  g_autoptr(GVariant) limits = NULL;
  g_autoptr(GVariant) min = NULL;
  g_autoptr(GVariant) max = NULL;
  const char *kind;
  double a;
  double b;

  g_variant_get (range, "(&sv)", &kind, &limits);
  /* STYLE.md §13: every numeric key has a range. */
  g_assert (g_str_equal (kind, "range"));

  min = g_variant_get_child_value (limits, 0);
  max = g_variant_get_child_value (limits, 1);
  a = (double) variant_get_integer (min) / scale;
  b = (double) variant_get_integer (max) / scale;
  gtk_spin_button_set_range (spin, MIN (a, b), MAX (a, b));
}

static gboolean
scaled_get_mapping (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  int scale = GPOINTER_TO_INT (user_data);

  g_value_set_double (value, (double) variant_get_integer (variant) / scale);
  return TRUE;
}

static GVariant *
scaled_set_mapping (const GValue       *value,
                    const GVariantType *expected_type,
                    gpointer            user_data)
{
  int scale = GPOINTER_TO_INT (user_data);

  return variant_new_integer (expected_type, round_to_integer (g_value_get_double (value) * scale));
}

/* Binds @spin to an integer key shown as the key's value / @scale, within the key's range. */
static void
bind_spin (HogaStrategyBar *self,
           GtkSpinButton   *spin,
           const char      *key,
           int              scale,
           GSettingsBindFlags flags)
{
  spin_set_key_range (spin, self->settings, key, scale);
  g_settings_bind_with_mapping (self->settings, key, spin, "value", flags,
                                scaled_get_mapping, scaled_set_mapping,
                                GINT_TO_POINTER (scale), NULL);
}

static gboolean
order_type_get_mapping (GValue   *value,
                        GVariant *variant,
                        gpointer  user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (order_type_nicks); i++)
    {
      if (g_str_equal (nick, order_type_nicks[i]))
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }

  return FALSE;
}

static GVariant *
order_type_set_mapping (const GValue       *value,
                        const GVariantType *expected_type,
                        gpointer            user_data)
{
  guint position = g_value_get_uint (value);

  if (position >= G_N_ELEMENTS (order_type_nicks))
    return NULL;
  return g_variant_new_string (order_type_nicks[position]);
}

static gboolean
is_limit_get_mapping (GValue   *value,
                      GVariant *variant,
                      gpointer  user_data)
{
  g_value_set_boolean (value, g_str_equal (g_variant_get_string (variant, NULL), "limit"));
  return TRUE;
}

static gboolean
is_on_get_mapping (GValue   *value,
                   GVariant *variant,
                   gpointer  user_data)
{
  g_value_set_boolean (value, variant_get_integer (variant) != 0);
  return TRUE;
}

/* The label of a drop-down row: "거래량 급증 (4)", or "None". */
static char *
choice_dup_label (GObject *item)
{
  if (HOGA_IS_CONDITION (item))
    {
      HogaCondition *condition = HOGA_CONDITION (item);

      /* Translators: a saved condition search's name, then its number: “거래량 급증 (4)” */
      return g_strdup_printf (C_("condition", "%s (%s)"),
                              hoga_condition_get_name (condition),
                              hoga_condition_get_seq (condition));
    }

  return g_strdup (gtk_string_object_get_string (GTK_STRING_OBJECT (item)));
}

/* What the drop-downs' search matches (by prefix): the name, as the user knows it. */
static char *
choice_dup_search_text (GObject  *item,
                        gpointer  user_data)
{
  if (HOGA_IS_CONDITION (item))
    return g_strdup (hoga_condition_get_name (HOGA_CONDITION (item)));

  return g_strdup (gtk_string_object_get_string (GTK_STRING_OBJECT (item)));
}

static void
choice_item_update_label (GtkListItem *list_item)
{
  g_autofree char *label = choice_dup_label (gtk_list_item_get_item (list_item));

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (list_item)), label);
}

/* Shows in @choice what the settings say, never writing them. */
static void
condition_choice_sync (HogaStrategyBar *self,
                       ConditionChoice *choice)
{
  g_autofree char *name = g_settings_get_string (self->settings, choice->name_key);
  g_autofree char *seq = g_settings_get_string (self->settings, choice->seq_key);
  g_autofree char *message = NULL;
  HogaCondition *condition = NULL;
  guint position = NONE_POSITION;
  guint n_conditions = 0;

  if (self->registry != NULL)
    {
      n_conditions = g_list_model_get_n_items (G_LIST_MODEL (self->registry));

      /* As the engine resolves it: by name, then by seq. */
      if (*name != '\0')
        condition = hoga_condition_registry_lookup_by_name (self->registry, name);
      if (condition == NULL && *seq != '\0')
        condition = hoga_condition_registry_lookup (self->registry, seq);
    }

  for (guint i = 0; condition != NULL && i < n_conditions; i++)
    {
      g_autoptr(HogaCondition) item = g_list_model_get_item (G_LIST_MODEL (self->registry), i);

      if (item == condition)
        {
          position = FIRST_CONDITION_POSITION + i;
          break;
        }
    }

  self->quiet++;
  gtk_drop_down_set_selected (choice->dropdown, position);
  self->quiet--;

  /* An empty registry has not been read yet: nothing is missing from it. */
  if (condition == NULL && n_conditions > 0 && (*name != '\0' || *seq != '\0'))
    {
      /* Translators: a condition search's name, then its number */
      message = g_strdup_printf (choice == &self->buy
                                 ? _("Buy condition “%s” (number %s) is not among "
                                     "the saved conditions")
                                 : _("Sell condition “%s” (number %s) is not among "
                                     "the saved conditions"),
                                 name, *seq != '\0' ? seq : "-");
    }

  gtk_widget_set_visible (choice->warning, message != NULL);
  gtk_widget_set_tooltip_text (choice->warning, message);
  if (message != NULL)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (choice->warning),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, message,
                                      -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (choice->dropdown),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                      -1);
    }
  else
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (choice->dropdown),
                                     GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}

static void
condition_choices_sync (HogaStrategyBar *self)
{
  if (self->settings == NULL)
    return;

  condition_choice_sync (self, &self->buy);
  condition_choice_sync (self, &self->sell);
}

/* Writes both keys in one change, through a delayed twin of the settings (delaying the
 * shared object would delay every other writer too): a reader never sees the name of one
 * condition with the seq of another. */
static void
condition_choice_write (HogaStrategyBar *self,
                        ConditionChoice *choice)
{
  GObject *item = gtk_drop_down_get_selected_item (choice->dropdown);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsBackend) backend = NULL;
  g_autoptr(GSettings) change = NULL;
  g_autofree char *path = NULL;
  const char *name = "";
  const char *seq = "";

  if (HOGA_IS_CONDITION (item))
    {
      name = hoga_condition_get_name (HOGA_CONDITION (item));
      seq = hoga_condition_get_seq (HOGA_CONDITION (item));
    }

  g_object_get (self->settings,
                "settings-schema", &schema,
                "backend", &backend,
                "path", &path,
                NULL);
  change = g_settings_new_full (schema, backend, path);
  g_settings_delay (change);
  g_settings_set_string (change, choice->name_key, name);
  g_settings_set_string (change, choice->seq_key, seq);
  g_settings_apply (change);
}

static void
condition_renamed_cb (HogaStrategyBar *self)
{
  condition_choices_sync (self);
}

/* The registry tells renames by notify, after its ::items-changed: a renamed condition can
 * start or stop matching the name in the settings. */
static void
watch_condition_names (HogaStrategyBar *self)
{
  for (guint i = 0; i < self->watched->len; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->watched, i),
                                          condition_renamed_cb, self);
  g_ptr_array_set_size (self->watched, 0);

  if (self->registry == NULL)
    return;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->registry)); i++)
    {
      HogaCondition *condition = g_list_model_get_item (G_LIST_MODEL (self->registry), i);

      g_signal_connect_object (condition, "notify::name",
                               G_CALLBACK (condition_renamed_cb), self, G_CONNECT_SWAPPED);
      g_ptr_array_add (self->watched, condition);
    }
}

/* Trading window */

/* "H:MM" or "HH:MM", in minutes since midnight. */
static gboolean
parse_clock (const char *text,
             guint      *minutes)
{
  gsize len = strlen (text);
  guint hours;
  guint mins;

  if (len < 4 || len > 5 || text[len - 3] != ':')
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (i != len - 3 && !g_ascii_isdigit (text[i]))
        return FALSE;
    }

  hours = (guint) g_ascii_digit_value (text[0]);
  if (len == 5)
    hours = hours * 10 + (guint) g_ascii_digit_value (text[1]);
  mins = (guint) g_ascii_digit_value (text[len - 2]) * 10 + (guint) g_ascii_digit_value (text[len - 1]);
  if (hours > 23 || mins > 59)
    return FALSE;

  *minutes = hours * 60 + mins;
  return TRUE;
}

static char *
format_clock (guint minutes)
{
  return g_strdup_printf ("%02u:%02u", minutes / 60, minutes % 60);
}

static void
window_entry_set_error (HogaStrategyBar *self,
                        GtkEntry        *entry,
                        const char      *message)
{
  if (message != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (entry),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
      gtk_label_set_label (self->window_error_label, message);
      gtk_widget_set_visible (GTK_WIDGET (self->window_error_label), TRUE);
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  gtk_accessible_reset_state (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_STATE_INVALID);
  if (!gtk_widget_has_css_class (GTK_WIDGET (self->window_start_entry), "error")
      && !gtk_widget_has_css_class (GTK_WIDGET (self->window_end_entry), "error"))
    gtk_widget_set_visible (GTK_WIDGET (self->window_error_label), FALSE);
}

static void
window_entry_sync (HogaStrategyBar *self,
                   GtkEntry        *entry)
{
  const char *key = entry == self->window_start_entry ? "trading-window-start"
                                                       : "trading-window-end";
  g_autofree char *value = g_settings_get_string (self->settings, key);

  gtk_editable_set_text (GTK_EDITABLE (entry), value);
  window_entry_set_error (self, entry, NULL);
}

/* Writes the entry's time when it is one and keeps the window's start before its end;
 * otherwise says why, naming the key, and leaves the setting alone. */
static void
window_entry_commit (HogaStrategyBar *self,
                     GtkEntry        *entry)
{
  gboolean is_start = entry == self->window_start_entry;
  const char *key = is_start ? "trading-window-start" : "trading-window-end";
  const char *other_key = is_start ? "trading-window-end" : "trading-window-start";
  g_autoptr(GSettingsSchemaKey) schema_key = settings_get_key (self->settings, key);
  g_autoptr(GSettingsSchemaKey) other_schema_key = settings_get_key (self->settings, other_key);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  g_autofree char *current = g_settings_get_string (self->settings, key);
  g_autofree char *other = g_settings_get_string (self->settings, other_key);
  g_autofree char *value = NULL;
  g_autofree char *message = NULL;
  guint minutes;
  guint other_minutes;

  if (!parse_clock (text, &minutes)
      || minutes < WINDOW_EARLIEST_MINUTES || minutes > WINDOW_LATEST_MINUTES)
    {
      g_autofree char *earliest = format_clock (WINDOW_EARLIEST_MINUTES);
      g_autofree char *latest = format_clock (WINDOW_LATEST_MINUTES);

      /* Translators: the setting's summary, its key (not translated), the text typed,
       * the earliest and latest times */
      message = g_strdup_printf (_("%s (%s): “%s” is not a time. Use HH:MM, from %s to %s."),
                                 g_settings_schema_key_get_summary (schema_key), key, text,
                                 earliest, latest);
    }
  else if (parse_clock (other, &other_minutes)
           && (is_start ? minutes >= other_minutes : minutes <= other_minutes))
    {
      /* Translators: a setting's summary and key, then the other setting's summary, key
       * and value, e.g. “Buy from (trading-window-start) must be before Buy until
       * (trading-window-end = 15:00).” */
      message = g_strdup_printf (is_start ? _("%s (%s) must be before %s (%s = %s).")
                                          : _("%s (%s) must be after %s (%s = %s)."),
                                 g_settings_schema_key_get_summary (schema_key), key,
                                 g_settings_schema_key_get_summary (other_schema_key),
                                 other_key, other);
    }

  window_entry_set_error (self, entry, message);
  if (message != NULL)
    return;

  /* Stored as "HH:MM", the only form the engine reads. Leaving the entry unchanged writes
   * nothing: a write emits ::changed even when the value is the same. */
  value = format_clock (minutes);
  gtk_editable_set_text (GTK_EDITABLE (entry), value);
  if (!g_str_equal (value, current))
    g_settings_set_string (self->settings, key, value);
}

/* Callbacks */

static void
choice_setup_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  user_data)
{
  gboolean compact = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  if (compact)
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (label), 10);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 14);
    }
  gtk_list_item_set_child (list_item, label);
}

static void
choice_item_renamed_cb (GtkListItem *list_item)
{
  choice_item_update_label (list_item);
}

static void
choice_bind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  GObject *item = gtk_list_item_get_item (list_item);

  if (HOGA_IS_CONDITION (item))
    g_signal_connect_object (item, "notify::name",
                             G_CALLBACK (choice_item_renamed_cb), list_item, G_CONNECT_SWAPPED);
  choice_item_update_label (list_item);
}

static void
choice_unbind_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  user_data)
{
  GObject *item = gtk_list_item_get_item (list_item);

  if (item != NULL)
    g_signal_handlers_disconnect_by_func (item, choice_item_renamed_cb, list_item);
}

/* Runs before the drop-downs' selections follow the change (they connected later): what
 * they select meanwhile is not the user's choice. */
static void
choices_changing_cb (GListModel      *model,
                     guint            position,
                     guint            removed,
                     guint            added,
                     HogaStrategyBar *self)
{
  self->quiet++;
}

static void
choices_changed_cb (GListModel      *model,
                    guint            position,
                    guint            removed,
                    guint            added,
                    HogaStrategyBar *self)
{
  g_assert (self->quiet > 0);
  self->quiet--;

  watch_condition_names (self);
  condition_choices_sync (self);
}

static void
condition_selected_cb (GtkDropDown     *dropdown,
                       GParamSpec      *pspec,
                       HogaStrategyBar *self)
{
  if (self->quiet > 0 || self->settings == NULL)
    return;

  condition_choice_write (self, dropdown == self->buy.dropdown ? &self->buy : &self->sell);
}

static void
settings_changed_cb (GSettings       *settings,
                     const char      *key,
                     HogaStrategyBar *self)
{
  if (g_str_equal (key, self->buy.name_key) || g_str_equal (key, self->buy.seq_key))
    condition_choice_sync (self, &self->buy);
  else if (g_str_equal (key, self->sell.name_key) || g_str_equal (key, self->sell.seq_key))
    condition_choice_sync (self, &self->sell);
  else if (g_str_equal (key, "trading-window-start"))
    window_entry_sync (self, self->window_start_entry);
  else if (g_str_equal (key, "trading-window-end"))
    window_entry_sync (self, self->window_end_entry);
}

static gboolean
amount_output_cb (GtkSpinButton   *spin,
                  HogaStrategyBar *self)
{
  char buf[HOGA_FORMAT_SIZE];

  gtk_editable_set_text (GTK_EDITABLE (spin),
                         hoga_format_krw (buf, round_to_integer (gtk_spin_button_get_value (spin))));
  return TRUE;
}

/* Takes "1,000,000", with or without separators and the currency. */
static int
amount_input_cb (GtkSpinButton   *spin,
                 double          *new_value,
                 HogaStrategyBar *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  g_autoptr(GString) digits = g_string_new (NULL);
  gint64 amount;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == ',' || g_unichar_isspace (c) || c == 0x20A9 /* ₩ */ || c == 0xC6D0 /* 원 */)
        continue;
      g_string_append_unichar (digits, c);
    }

  if (!g_ascii_string_to_signed (digits->str, 10, 0, G_MAXINT64, &amount, NULL))
    return GTK_INPUT_ERROR;

  *new_value = (double) amount;
  return TRUE;
}

static gboolean
percent_output_cb (GtkSpinButton   *spin,
                   HogaStrategyBar *self)
{
  GtkAdjustment *adjustment = gtk_spin_button_get_adjustment (spin);
  gint64 bp = round_to_integer (gtk_adjustment_get_value (adjustment) * SCALE_PERCENT);
  char buf[HOGA_FORMAT_SIZE];

  /* The keys whose range starts at 0 are off at 0; the schema says so of each. */
  if (bp == 0 && gtk_adjustment_get_lower (adjustment) == 0.0)
    gtk_editable_set_text (GTK_EDITABLE (spin), _("Off"));
  else
    gtk_editable_set_text (GTK_EDITABLE (spin), hoga_format_bp (buf, bp));
  return TRUE;
}

/* Takes what percent_output_cb() writes, and plain numbers: "−2.50 %", "-2.5", "3", "Off". */
static int
percent_input_cb (GtkSpinButton   *spin,
                  double          *new_value,
                  HogaStrategyBar *self)
{
  GtkAdjustment *adjustment = gtk_spin_button_get_adjustment (spin);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (spin))));
  g_autoptr(GString) number = g_string_new (NULL);
  char *end = NULL;
  double value;

  if (gtk_adjustment_get_lower (adjustment) == 0.0
      && (g_utf8_collate (text, _("Off")) == 0 || g_ascii_strcasecmp (text, "off") == 0))
    {
      *new_value = 0.0;
      return TRUE;
    }

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0x2212 /* − MINUS SIGN, as hoga_format_bp() writes it */)
        g_string_append_c (number, '-');
      else if (c != '%' && !g_unichar_isspace (c))
        g_string_append_unichar (number, c);
    }

  value = g_strtod (number->str, &end);
  if (end == number->str || *end != '\0')
    return GTK_INPUT_ERROR;

  /* A stop-loss is a loss however it is typed: "3" must not become a 0.01 % stop. */
  if (spin == self->stop_loss_spin && value > 0)
    value = -value;

  *new_value = value;
  return TRUE;
}

static gboolean
ticks_output_cb (GtkSpinButton   *spin,
                 HogaStrategyBar *self)
{
  int ticks = (int) round_to_integer (gtk_spin_button_get_value (spin));
  g_autofree char *text = ticks != 0 ? g_strdup_printf ("%+d", ticks) : g_strdup ("0");

  gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

static void
window_entry_activate_cb (GtkEntry        *entry,
                          HogaStrategyBar *self)
{
  window_entry_commit (self, entry);
}

static void
window_entry_leave_cb (GtkEventControllerFocus *controller,
                       HogaStrategyBar         *self)
{
  GtkWidget *entry = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  window_entry_commit (self, GTK_ENTRY (entry));
}

/* Settings */

static void
settings_bind (HogaStrategyBar *self)
{
  bind_spin (self, self->amount_spin, "amount-per-stock", 1, G_SETTINGS_BIND_DEFAULT);
  bind_spin (self, self->max_positions_spin, "max-positions", 1, G_SETTINGS_BIND_DEFAULT);
  bind_spin (self, self->stop_loss_spin, "stop-loss", SCALE_LOSS_PERCENT, G_SETTINGS_BIND_DEFAULT);
  bind_spin (self, self->trailing_start_spin, "trailing-start", SCALE_PERCENT,
             G_SETTINGS_BIND_DEFAULT);
  bind_spin (self, self->take_profit_spin, "take-profit", SCALE_PERCENT, G_SETTINGS_BIND_DEFAULT);

  /* Their sensitivity follows another key, so not the key's writability. */
  bind_spin (self, self->trailing_drop_spin, "trailing-drop", SCALE_PERCENT,
             G_SETTINGS_BIND_DEFAULT | G_SETTINGS_BIND_NO_SENSITIVITY);
  g_settings_bind_with_mapping (self->settings, "trailing-start",
                                self->trailing_drop_spin, "sensitive", G_SETTINGS_BIND_GET,
                                is_on_get_mapping, NULL, NULL, NULL);
  bind_spin (self, self->sell_ticks_spin, "sell-limit-offset-ticks", 1,
             G_SETTINGS_BIND_DEFAULT | G_SETTINGS_BIND_NO_SENSITIVITY);
  g_settings_bind_with_mapping (self->settings, "sell-type",
                                self->sell_ticks_spin, "sensitive", G_SETTINGS_BIND_GET,
                                is_limit_get_mapping, NULL, NULL, NULL);

  g_settings_bind_with_mapping (self->settings, "sell-type",
                                self->sell_type_dropdown, "selected", G_SETTINGS_BIND_DEFAULT,
                                order_type_get_mapping, order_type_set_mapping, NULL, NULL);

  g_signal_connect_object (self->settings, "changed",
                           G_CALLBACK (settings_changed_cb), self, 0);
  window_entry_sync (self, self->window_start_entry);
  window_entry_sync (self, self->window_end_entry);
  condition_choices_sync (self);
}

static void
settings_unbind (HogaStrategyBar *self)
{
  GtkSpinButton *spins[] = {
    self->amount_spin, self->max_positions_spin, self->stop_loss_spin,
    self->trailing_start_spin, self->trailing_drop_spin, self->take_profit_spin,
    self->sell_ticks_spin,
  };

  g_signal_handlers_disconnect_by_data (self->settings, self);

  /* "sensitive" too: bound to the key's writability, or to another key. */
  for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
    {
      g_settings_unbind (spins[i], "value");
      g_settings_unbind (spins[i], "sensitive");
    }
  g_settings_unbind (self->sell_type_dropdown, "selected");
  g_settings_unbind (self->sell_type_dropdown, "sensitive");
}

/* GObject */

static void
hoga_strategy_bar_dispose (GObject *object)
{
  HogaStrategyBar *self = HOGA_STRATEGY_BAR (object);
  GtkWidget *child;

  if (self->settings != NULL && self->amount_spin != NULL)
    settings_unbind (self);
  if (self->choices != NULL)
    g_signal_handlers_disconnect_by_data (self->choices, self);
  g_clear_object (&self->registry);
  watch_condition_names (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), HOGA_TYPE_STRATEGY_BAR);
  /* The template's top-level boxes are not bound, so not unparented above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->choices);
  g_clear_object (&self->sections);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (hoga_strategy_bar_parent_class)->dispose (object);
}

static void
hoga_strategy_bar_finalize (GObject *object)
{
  HogaStrategyBar *self = HOGA_STRATEGY_BAR (object);

  g_clear_pointer (&self->watched, g_ptr_array_unref);

  G_OBJECT_CLASS (hoga_strategy_bar_parent_class)->finalize (object);
}

static void
hoga_strategy_bar_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  HogaStrategyBar *self = HOGA_STRATEGY_BAR (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_REGISTRY:
      g_value_set_object (value, self->registry);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hoga_strategy_bar_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  HogaStrategyBar *self = HOGA_STRATEGY_BAR (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      hoga_strategy_bar_set_settings (self, g_value_get_object (value));
      break;

    case PROP_REGISTRY:
      hoga_strategy_bar_set_registry (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hoga_strategy_bar_class_init (HogaStrategyBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hoga_strategy_bar_dispose;
  object_class->finalize = hoga_strategy_bar_finalize;
  object_class->get_property = hoga_strategy_bar_get_property;
  object_class->set_property = hoga_strategy_bar_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_REGISTRY] =
    g_param_spec_object ("registry", NULL, NULL,
                         HOGA_TYPE_CONDITION_REGISTRY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/hoga/Hoga/hoga-strategy-bar.ui");
  gtk_widget_class_set_css_name (widget_class, "strategybar");

  gtk_widget_class_bind_template_child_full (widget_class, "buy_dropdown", FALSE,
                                             G_STRUCT_OFFSET (HogaStrategyBar, buy.dropdown));
  gtk_widget_class_bind_template_child_full (widget_class, "buy_warning", FALSE,
                                             G_STRUCT_OFFSET (HogaStrategyBar, buy.warning));
  gtk_widget_class_bind_template_child_full (widget_class, "sell_dropdown", FALSE,
                                             G_STRUCT_OFFSET (HogaStrategyBar, sell.dropdown));
  gtk_widget_class_bind_template_child_full (widget_class, "sell_warning", FALSE,
                                             G_STRUCT_OFFSET (HogaStrategyBar, sell.warning));
  gtk_widget_class_bind_template_child (widget_class, HogaStrategyBar, amount_spin);
  gtk_widget_class_bind_template_child (widget_class, HogaStrategyBar, max_positions_spin);
  gtk_widget_class_bind_template_child (widget_class, HogaStrategyBar, stop_loss_spin);
  gtk_widget_class_bind_template_child (widget_class, HogaStrategyBar, trailing_start_spin);
  gtk_widget_class_bind_template_child (widget_class, HogaStrategyBar, trailing_drop_spin);
  gtk_widget_class_bind_template_child (widget_class, HogaStrategyBar, take_profit_spin);
  gtk_widget_class_bind_template_child (widget_class, HogaStrategyBar, sell_type_dropdown);
  gtk_widget_class_bind_template_child (widget_class, HogaStrategyBar, sell_ticks_spin);
  gtk_widget_class_bind_template_child (widget_class, HogaStrategyBar, window_start_entry);
  gtk_widget_class_bind_template_child (widget_class, HogaStrategyBar, window_end_entry);
  gtk_widget_class_bind_template_child (widget_class, HogaStrategyBar, window_error_label);

  gtk_widget_class_bind_template_callback (widget_class, condition_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, amount_output_cb);
  gtk_widget_class_bind_template_callback (widget_class, amount_input_cb);
  gtk_widget_class_bind_template_callback (widget_class, percent_output_cb);
  gtk_widget_class_bind_template_callback (widget_class, percent_input_cb);
  gtk_widget_class_bind_template_callback (widget_class, ticks_output_cb);
  gtk_widget_class_bind_template_callback (widget_class, window_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, window_entry_leave_cb);
}

static void
hoga_strategy_bar_init (HogaStrategyBar *self)
{
  g_autoptr(GListStore) none = g_list_store_new (GTK_TYPE_STRING_OBJECT);
  g_autoptr(GtkStringObject) none_item = gtk_string_object_new (_("None"));
  g_autoptr(GtkListItemFactory) factory = NULL;
  g_autoptr(GtkListItemFactory) list_factory = NULL;
  g_autoptr(GtkExpression) search = NULL;

  self->buy.name_key = "buy-condition";
  self->buy.seq_key = "buy-condition-seq";
  self->sell.name_key = "sell-condition";
  self->sell.seq_key = "sell-condition-seq";
  self->watched = g_ptr_array_new_with_free_func (g_object_unref);

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Nothing to edit until the settings are given. */
  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);

  g_list_store_append (none, none_item);
  self->sections = g_list_store_new (G_TYPE_LIST_MODEL);
  g_list_store_append (self->sections, none);
  self->choices = G_LIST_MODEL (gtk_flatten_list_model_new (g_object_ref (G_LIST_MODEL (self->sections))));

  /* Connected before the drop-downs' selections connect, so around them. */
  g_signal_connect (self->choices, "items-changed", G_CALLBACK (choices_changing_cb), self);
  g_signal_connect_after (self->choices, "items-changed", G_CALLBACK (choices_changed_cb), self);

  /* The button's rows are compact, the list's show names whole. */
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (choice_setup_cb), GINT_TO_POINTER (TRUE));
  g_signal_connect (factory, "bind", G_CALLBACK (choice_bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (choice_unbind_cb), NULL);
  list_factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (list_factory, "setup", G_CALLBACK (choice_setup_cb), GINT_TO_POINTER (FALSE));
  g_signal_connect (list_factory, "bind", G_CALLBACK (choice_bind_cb), NULL);
  g_signal_connect (list_factory, "unbind", G_CALLBACK (choice_unbind_cb), NULL);
  search = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                        G_CALLBACK (choice_dup_search_text), NULL, NULL);

  /* Given a model, a drop-down selects its first row: not the user's choice. */
  self->quiet++;
  for (guint i = 0; i < 2; i++)
    {
      GtkDropDown *dropdown = i == 0 ? self->buy.dropdown : self->sell.dropdown;

      gtk_drop_down_set_factory (dropdown, factory);
      gtk_drop_down_set_list_factory (dropdown, list_factory);
      gtk_drop_down_set_expression (dropdown, search);
      gtk_drop_down_set_model (dropdown, self->choices);
    }

  self->quiet--;
}

/**
 * hoga_strategy_bar_new:
 * @settings: (nullable): the io.github.hoga.Hoga.strategy settings
 *
 * Returns: (transfer floating): a new #HogaStrategyBar
 */
GtkWidget *
hoga_strategy_bar_new (GSettings *settings)
{
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (HOGA_TYPE_STRATEGY_BAR, "settings", settings, NULL);
}

/**
 * hoga_strategy_bar_get_settings:
 * @self: a #HogaStrategyBar
 *
 * Returns: (transfer none) (nullable): the strategy settings the bar edits
 */
GSettings *
hoga_strategy_bar_get_settings (HogaStrategyBar *self)
{
  g_return_val_if_fail (HOGA_IS_STRATEGY_BAR (self), NULL);

  return self->settings;
}

/**
 * hoga_strategy_bar_set_settings:
 * @self: a #HogaStrategyBar
 * @settings: (nullable): the io.github.hoga.Hoga.strategy settings to edit
 *
 * The bar is insensitive while it has no settings.
 */
void
hoga_strategy_bar_set_settings (HogaStrategyBar *self,
                                GSettings       *settings)
{
  g_return_if_fail (HOGA_IS_STRATEGY_BAR (self));
  g_return_if_fail (settings == NULL || G_IS_SETTINGS (settings));

  if (self->settings == settings)
    return;

  if (self->settings != NULL)
    settings_unbind (self);
  g_set_object (&self->settings, settings);
  if (settings != NULL)
    settings_bind (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self), settings != NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETTINGS]);
}

/**
 * hoga_strategy_bar_get_registry:
 * @self: a #HogaStrategyBar
 *
 * Returns: (transfer none) (nullable): the conditions offered, if known yet
 */
HogaConditionRegistry *
hoga_strategy_bar_get_registry (HogaStrategyBar *self)
{
  g_return_val_if_fail (HOGA_IS_STRATEGY_BAR (self), NULL);

  return self->registry;
}

/**
 * hoga_strategy_bar_set_registry:
 * @self: a #HogaStrategyBar
 * @registry: (nullable): the saved conditions to offer
 *
 * The drop-downs follow @registry as it fills and re-fills, selecting what the settings
 * name; they write the settings only when the user chooses.
 */
void
hoga_strategy_bar_set_registry (HogaStrategyBar       *self,
                                HogaConditionRegistry *registry)
{
  g_return_if_fail (HOGA_IS_STRATEGY_BAR (self));
  g_return_if_fail (registry == NULL || HOGA_IS_CONDITION_REGISTRY (registry));

  if (self->registry == registry)
    return;

  /* Cleared before its rows leave the model: re-selecting meanwhile must not find them. */
  if (self->registry != NULL)
    {
      g_clear_object (&self->registry);
      g_list_store_remove (self->sections, 1);
    }
  if (registry != NULL)
    {
      self->registry = g_object_ref (registry);
      g_list_store_append (self->sections, registry);
    }

  /* The model's ::items-changed re-selected, unless both registries were empty. */
  watch_condition_names (self);
  condition_choices_sync (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGISTRY]);
}
