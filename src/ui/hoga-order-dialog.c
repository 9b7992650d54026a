/* hoga-order-dialog.c — the manual order dialog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DESIGN.md §6, "a manual order dialog". The form checks what it can see (a code with a
 * known quote, the quantity, what is sellable, the limit price against the tick grid and
 * the daily limits) so Send is only offered for an order that can go; the engine checks
 * everything again, with the risk guard, and its refusal is shown in the same place.
 */
#define G_LOG_DOMAIN "hoga-ui"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "hoga-format.h"
#include "hoga-krx.h"
#include "hoga-order-dialog-private.h"

/* A code is asked of the broker once it is this long: KRX codes have six characters, and
 * asking for every prefix typed would only spend the broker's rate limit. */
#define LOOKUP_MIN_LENGTH 6

/* Limit price steps of the page keys (Page Up/Down), in ticks. */
#define PAGE_TICKS 10

struct _HogaOrderDialog
{
  AdwWindow        parent_instance;

  GtkWidget       *cancel_button;
  GtkSpinner      *send_spinner;
  GtkWidget       *form;
  AdwEntryRow     *code_row;
  GtkSpinner      *lookup_spinner;
  AdwActionRow    *name_row;
  GtkToggleButton *buy_toggle;
  GtkToggleButton *sell_toggle;
  AdwActionRow    *qty_row;
  GtkSpinButton   *qty_spin;
  AdwComboRow     *type_row;
  AdwActionRow    *price_row;
  GtkSpinButton   *price_spin;
  GtkLabel        *message_label;
  GtkWidget       *focus_before_send;    /* weak */

  HogaEngine      *engine;
  GCancellable    *cancellable;          /* the dialog's life */
  GCancellable    *lookup_cancellable;   /* the current code's lookup */
  HogaQuote       *quote;                /* the current code's; NULL while unknown */
  char             code[HOGA_CODE_SIZE]; /* normalised; "" when the text is not a code */
  char            *lookup_error;         /* the broker knows no such stock */
  char            *send_error;           /* the engine's refusal, until the form changes */
  gint64           price;                /* the limit price as last accepted */
  gint64           typed_price;          /* the text the user typed, as a number */
  gboolean         price_typed;
  gboolean         setting_price;
  gboolean         looking_up;
  gboolean         sending;
  gboolean         valid;
};

G_DEFINE_FINAL_TYPE (HogaOrderDialog, hoga_order_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_ENGINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_PLACED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void validate (HogaOrderDialog *self);

static HogaSide
get_side (HogaOrderDialog *self)
{
  return gtk_toggle_button_get_active (self->sell_toggle) ? HOGA_SIDE_SELL : HOGA_SIDE_BUY;
}

static HogaOrderType
get_order_type (HogaOrderDialog *self)
{
  return adw_combo_row_get_selected (self->type_row) == 1 ? HOGA_ORDER_TYPE_LIMIT
                                                          : HOGA_ORDER_TYPE_MARKET;
}

static gint64
get_qty (HogaOrderDialog *self)
{
  return (gint64) gtk_spin_button_get_value (self->qty_spin);
}

static gint64
get_base_price (HogaOrderDialog *self)
{
  return self->quote != NULL ? hoga_quote_get_base_price (self->quote) : 0;
}

/* What may be sold of the current code, as the engine will count it. */
static gint64
get_sellable (HogaOrderDialog *self)
{
  HogaHolding *holding = hoga_account_lookup (hoga_engine_get_account (self->engine), self->code);
  HogaPosition *position = hoga_tracker_lookup (hoga_engine_get_tracker (self->engine),
                                                self->code);

  if (holding != NULL)
    return hoga_holding_get_sellable_qty (holding);
  if (position != NULL)
    return hoga_position_get_qty (position);
  return 0;
}

static void
set_price (HogaOrderDialog *self,
           gint64           price)
{
  GtkAdjustment *adjustment = gtk_spin_button_get_adjustment (self->price_spin);
  gint64 tick = hoga_krx_tick_size (MAX (price, 1));

  self->price = price;
  self->setting_price = TRUE;
  gtk_spin_button_set_value (self->price_spin, (double) price);
  self->setting_price = FALSE;
  /* One step is one tick at this price: the buttons walk the grid. */
  gtk_adjustment_set_step_increment (adjustment, (double) tick);
  gtk_adjustment_set_page_increment (adjustment, (double) (tick * PAGE_TICKS));
}

/* A limit price to start from: the last trade (or the base price) on the grid. */
static void
prefill_price (HogaOrderDialog *self)
{
  gint64 price;

  if (self->price > 0 || self->quote == NULL || get_order_type (self) != HOGA_ORDER_TYPE_LIMIT)
    return;
  price = hoga_quote_get_price (self->quote);
  if (price <= 0)
    price = hoga_quote_get_base_price (self->quote);
  if (price > 0)
    set_price (self, hoga_krx_round_down (price));
}

/* What is wrong with the form, first problem first; NULL when the order can go.
 * @is_error is FALSE for what is a hint rather than a mistake (an empty field). */
static char *
find_problem (HogaOrderDialog *self,
              gboolean        *is_error)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->code_row));
  gint64 qty = get_qty (self);
  gint64 base = get_base_price (self);
  char a[HOGA_FORMAT_SIZE];
  char b[HOGA_FORMAT_SIZE];
  char c[HOGA_FORMAT_SIZE];
  char d[HOGA_FORMAT_SIZE];

  *is_error = TRUE;
  if (*text == '\0')
    {
      *is_error = FALSE;
      return g_strdup (_("Enter a stock code, like 005930"));
    }
  if (self->code[0] == '\0')
    return g_strdup_printf (_("“%s” is not a stock code: a code is six characters, "
                              "like 005930"), text);
  if (self->quote == NULL)
    {
      if (self->lookup_error != NULL)
        return g_strdup (self->lookup_error);
      *is_error = FALSE;
      if (self->looking_up)
        return g_strdup (_("Looking up the stock…"));
      if (strlen (self->code) < LOOKUP_MIN_LENGTH)
        return g_strdup (_("Enter the whole stock code, like 005930"));
      *is_error = TRUE;
      return g_strdup (_("Unknown code — the quote appears once the exchange has sent it"));
    }

  if (qty <= 0)
    return g_strdup (_("Enter a quantity of at least 1 share"));

  if (get_side (self) == HOGA_SIDE_SELL)
    {
      gint64 sellable = get_sellable (self);

      if (sellable <= 0)
        return g_strdup_printf (_("No shares of %s can be sold: none are held, or all are "
                                  "already being sold"), self->code);
      if (qty > sellable)
        return g_strdup_printf (_("Only %s shares can be sold: lower the quantity"),
                                hoga_format_krw (a, sellable));
    }

  if (get_order_type (self) == HOGA_ORDER_TYPE_LIMIT)
    {
      if (self->price <= 0)
        return g_strdup (_("Enter a limit price"));
      if (!hoga_krx_is_on_grid (self->price))
        return g_strdup_printf (_("%s KRW is not on the tick grid (steps of %s KRW at this "
                                  "price): use %s or %s KRW"),
                                hoga_format_krw (a, self->price),
                                hoga_format_krw (b, hoga_krx_tick_size (self->price)),
                                hoga_format_krw (c, hoga_krx_round_down (self->price)),
                                hoga_format_krw (d, hoga_krx_round_up (self->price)));
      if (base > 0 && (self->price < hoga_krx_lower_limit (base)
                       || self->price > hoga_krx_upper_limit (base)))
        return g_strdup_printf (_("%s KRW is outside today's limits: use a price from %s to "
                                  "%s KRW"),
                                hoga_format_krw (a, self->price),
                                hoga_format_krw (b, hoga_krx_lower_limit (base)),
                                hoga_format_krw (c, hoga_krx_upper_limit (base)));
    }
  return NULL;
}

static void
update_rows (HogaOrderDialog *self)
{
  gboolean limit = get_order_type (self) == HOGA_ORDER_TYPE_LIMIT;
  gint64 base = get_base_price (self);
  g_autofree char *qty_hint = NULL;
  g_autofree char *limits = NULL;
  const char *name = "";
  char a[HOGA_FORMAT_SIZE];
  char b[HOGA_FORMAT_SIZE];
  char c[HOGA_FORMAT_SIZE];

  if (self->quote != NULL)
    name = *hoga_quote_get_name (self->quote) != '\0' ? hoga_quote_get_name (self->quote)
                                                       : self->code;
  else if (self->looking_up)
    name = _("Looking up…");
  else if (self->code[0] != '\0')
    name = _("Unknown code");
  adw_action_row_set_subtitle (self->name_row, name);
  gtk_widget_set_visible (GTK_WIDGET (self->lookup_spinner), self->looking_up);
  gtk_spinner_set_spinning (self->lookup_spinner, self->looking_up);

  if (get_side (self) == HOGA_SIDE_SELL && self->quote != NULL)
    qty_hint = g_strdup_printf (_("Sellable: %s shares"),
                                hoga_format_krw (a, get_sellable (self)));
  adw_action_row_set_subtitle (self->qty_row, qty_hint != NULL ? qty_hint : "");

  gtk_widget_set_sensitive (GTK_WIDGET (self->price_row), limit);
  if (limit && base > 0)
    limits = g_strdup_printf (_("Today's limits %s – %s KRW, tick %s KRW"),
                              hoga_format_krw (a, hoga_krx_lower_limit (base)),
                              hoga_format_krw (b, hoga_krx_upper_limit (base)),
                              hoga_format_krw (c, hoga_krx_tick_size (self->price > 0 ? self->price
                                                                              : base)));
  adw_action_row_set_subtitle (self->price_row, limits != NULL ? limits : "");
}

static void
validate (HogaOrderDialog *self)
{
  g_autofree char *problem = NULL;
  gboolean is_error = TRUE;
  const char *shown;

  problem = find_problem (self, &is_error);
  self->valid = problem == NULL;
  update_rows (self);

  shown = self->send_error != NULL ? self->send_error : problem != NULL ? problem : "";
  gtk_label_set_text (self->message_label, shown);
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), *shown != '\0');
  if (self->send_error != NULL || (problem != NULL && is_error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "dim-label");
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "order.send", self->valid && !self->sending);
}

/* The user changed the form: what the engine said was about the old one. */
static void
form_changed (HogaOrderDialog *self)
{
  g_clear_pointer (&self->send_error, g_free);
  validate (self);
}

static void
quote_notify_cb (HogaOrderDialog *self)
{
  prefill_price (self);
  validate (self);
}

static void
set_quote (HogaOrderDialog *self,
           HogaQuote       *quote)
{
  if (self->quote == quote)
    return;
  if (self->quote != NULL)
    g_signal_handlers_disconnect_by_data (self->quote, self);
  g_set_object (&self->quote, quote);
  if (quote != NULL)
    g_signal_connect_object (quote, "notify", G_CALLBACK (quote_notify_cb), self,
                             G_CONNECT_SWAPPED);
  prefill_price (self);
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(HogaOrderDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HogaQuote) quote = hoga_engine_lookup_stock_finish (HOGA_ENGINE (source), result,
                                                                &error);

  /* A newer code is being looked up, or the dialog is gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || (quote != NULL && g_strcmp0 (hoga_quote_get_code (quote), self->code) != 0))
    return;

  self->looking_up = FALSE;
  g_clear_object (&self->lookup_cancellable);
  if (quote != NULL)
    set_quote (self, quote);
  else if (g_error_matches (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_UNKNOWN_CODE)
           || g_error_matches (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_INVALID_CODE))
    self->lookup_error = g_strdup (error->message);
  else
    g_debug ("Could not look %s up: %s", self->code, error->message);
  validate (self);
}

static void
set_code (HogaOrderDialog *self,
          const char      *code)
{
  HogaQuote *quote = NULL;

  g_cancellable_cancel (self->lookup_cancellable);
  g_clear_object (&self->lookup_cancellable);
  g_clear_pointer (&self->lookup_error, g_free);
  self->looking_up = FALSE;
  g_strlcpy (self->code, code, sizeof self->code);

  if (*code != '\0')
    quote = hoga_quote_book_lookup (hoga_engine_get_quote_book (self->engine), code);
  set_quote (self, quote);

  /* The name and the daily limits come with ka10001 when no tick brought them yet. */
  if (*code != '\0' && (quote == NULL || hoga_quote_get_base_price (quote) <= 0)
      && strlen (code) >= LOOKUP_MIN_LENGTH)
    {
      self->looking_up = TRUE;
      self->lookup_cancellable = g_cancellable_new ();
      hoga_engine_lookup_stock_async (self->engine, code, self->lookup_cancellable, lookup_cb,
                                      g_object_ref (self));
    }
}

static void
set_busy (HogaOrderDialog *self,
          gboolean         busy)
{
  self->sending = busy;
  /* A field losing its sensitivity while focused keeps a blinking cursor: the focus is
   * put aside while the form waits, and given back after. */
  if (busy)
    {
      g_set_weak_pointer (&self->focus_before_send, gtk_root_get_focus (GTK_ROOT (self)));
      gtk_window_set_focus (GTK_WINDOW (self), NULL);
    }
  gtk_widget_set_sensitive (self->form, !busy);
  gtk_widget_set_sensitive (self->cancel_button, !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->send_spinner), busy);
  gtk_spinner_set_spinning (self->send_spinner, busy);
  validate (self);
  if (!busy && self->focus_before_send != NULL)
    {
      gtk_widget_grab_focus (self->focus_before_send);
      g_clear_weak_pointer (&self->focus_before_send);
    }
}

/* Enter in any field sends (when Send is enabled), as in a dialog. */
static void
activate_default_on_enter (GtkEditable *editable)
{
  GtkEditable *delegate = gtk_editable_get_delegate (editable);

  if (GTK_IS_TEXT (delegate))
    gtk_text_set_activates_default (GTK_TEXT (delegate), TRUE);
}

/* ---- callbacks ----------------------------------------------------------------------- */

static void
code_changed_cb (HogaOrderDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->code_row));
  char code[HOGA_CODE_SIZE] = "";

  if (!hoga_code_normalize (text, -1, code))
    code[0] = '\0';
  if (strcmp (code, self->code) != 0)
    set_code (self, code);
  form_changed (self);
}

/* The quote of a code that had none may have arrived with a tick. */
static void
quote_book_changed_cb (HogaOrderDialog *self)
{
  HogaQuote *quote;

  if (self->code[0] == '\0' || self->quote != NULL)
    return;
  quote = hoga_quote_book_lookup (hoga_engine_get_quote_book (self->engine), self->code);
  if (quote == NULL)
    return;
  set_quote (self, quote);
  validate (self);
}

static void
side_toggled_cb (HogaOrderDialog *self)
{
  form_changed (self);
}

static void
qty_changed_cb (HogaOrderDialog *self)
{
  form_changed (self);
}

static void
type_changed_cb (HogaOrderDialog *self)
{
  prefill_price (self);
  form_changed (self);
}

/* Typed text: digits, optionally grouped with commas. */
static int
price_input_cb (GtkSpinButton   *spin,
                double          *new_value,
                HogaOrderDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  g_autoptr(GString) digits = g_string_new (NULL);
  guint64 value;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (*p != ',' && !g_ascii_isspace (*p))
        return GTK_INPUT_ERROR;
    }
  if (digits->len == 0
      || !g_ascii_string_to_unsigned (digits->str, 10, 0, G_MAXINT64, &value, NULL))
    return GTK_INPUT_ERROR;

  self->price_typed = TRUE;
  self->typed_price = (gint64) value;
  *new_value = (double) value;
  return TRUE;
}

static gboolean
price_output_cb (GtkSpinButton   *spin,
                 HogaOrderDialog *self)
{
  char text[HOGA_FORMAT_SIZE];

  hoga_format_krw (text, (gint64) gtk_spin_button_get_value (spin));
  if (strcmp (text, gtk_editable_get_text (GTK_EDITABLE (spin))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

/* A typed price stays as typed; any other change (the +/− buttons, the arrow or page
 * keys, the wheel) is a step along the grid from the last price, however the spin button
 * counted it: the tick differs above and below a band edge (1,995 → 2,000 → 2,005 but
 * 2,000 → 1,999). */
static void
price_changed_cb (HogaOrderDialog *self)
{
  gint64 value = (gint64) gtk_spin_button_get_value (self->price_spin);
  gint64 old = self->price;
  gint64 base = get_base_price (self);
  gint64 price = value;
  gboolean typed = self->price_typed && value == self->typed_price;

  if (self->setting_price)
    return;
  self->price_typed = FALSE;

  if (!typed && old > 0 && value != old)
    {
      GtkAdjustment *adjustment = gtk_spin_button_get_adjustment (self->price_spin);
      gint64 step = (gint64) gtk_adjustment_get_step_increment (adjustment);
      int n_ticks = ABS (value - old) > step ? PAGE_TICKS : 1;

      price = hoga_krx_add_ticks (old, value > old ? n_ticks : -n_ticks);
      if (base > 0)
        price = hoga_krx_clamp_to_limits (price, base);
    }
  set_price (self, MAX (price, 0));
  form_changed (self);
}

static void
placed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(HogaOrderDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HogaOrder) order = hoga_engine_place_order_finish (HOGA_ENGINE (source), result,
                                                               &error);

  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  if (order == NULL)
    {
      /* Nothing is lost: the form stays as it was, with the engine's reason under it. */
      g_free (self->send_error);
      self->send_error = g_strdup (error->message);
      set_busy (self, FALSE);
      return;
    }

  set_busy (self, FALSE);
  g_signal_emit (self, signals[SIGNAL_PLACED], 0, order);
  gtk_window_close (GTK_WINDOW (self));
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  HogaOrderDialog *self = HOGA_ORDER_DIALOG (widget);
  HogaOrderType type;

  /* Text typed in a spin button counts once committed: Enter may come first. */
  gtk_spin_button_update (self->qty_spin);
  gtk_spin_button_update (self->price_spin);
  validate (self);
  if (!self->valid || self->sending)
    return;

  type = get_order_type (self);
  g_clear_pointer (&self->send_error, g_free);
  set_busy (self, TRUE);
  hoga_engine_place_order_async (self->engine, self->code, get_side (self), get_qty (self), type,
                                 type == HOGA_ORDER_TYPE_LIMIT ? self->price : 0,
                                 self->cancellable, placed_cb, g_object_ref (self));
}

/* The order is the engine's once sent: the window waits for its answer to say how it went. */
static gboolean
hoga_order_dialog_close_request (GtkWindow *window)
{
  HogaOrderDialog *self = HOGA_ORDER_DIALOG (window);

  if (self->sending)
    return TRUE;
  return GTK_WINDOW_CLASS (hoga_order_dialog_parent_class)->close_request (window);
}

/* ---- GObject ------------------------------------------------------------------------- */

static void
hoga_order_dialog_constructed (GObject *object)
{
  HogaOrderDialog *self = HOGA_ORDER_DIALOG (object);

  G_OBJECT_CLASS (hoga_order_dialog_parent_class)->constructed (object);

  g_assert (HOGA_IS_ENGINE (self->engine));
  /* A quote the exchange sends later, or a holding that changes, changes the verdict. */
  g_signal_connect_object (hoga_engine_get_quote_book (self->engine), "items-changed",
                           G_CALLBACK (quote_book_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (hoga_engine_get_account (self->engine), "items-changed",
                           G_CALLBACK (validate), self, G_CONNECT_SWAPPED);
  validate (self);
}

static void
hoga_order_dialog_dispose (GObject *object)
{
  HogaOrderDialog *self = HOGA_ORDER_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->lookup_cancellable);
  g_clear_object (&self->lookup_cancellable);
  if (self->quote != NULL)
    g_signal_handlers_disconnect_by_data (self->quote, self);
  g_clear_object (&self->quote);
  g_clear_weak_pointer (&self->focus_before_send);
  gtk_widget_dispose_template (GTK_WIDGET (self), HOGA_TYPE_ORDER_DIALOG);

  G_OBJECT_CLASS (hoga_order_dialog_parent_class)->dispose (object);
}

static void
hoga_order_dialog_finalize (GObject *object)
{
  HogaOrderDialog *self = HOGA_ORDER_DIALOG (object);

  g_clear_object (&self->engine);
  g_clear_object (&self->cancellable);
  g_free (self->lookup_error);
  g_free (self->send_error);

  G_OBJECT_CLASS (hoga_order_dialog_parent_class)->finalize (object);
}

static void
hoga_order_dialog_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  HogaOrderDialog *self = HOGA_ORDER_DIALOG (object);

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
hoga_order_dialog_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  HogaOrderDialog *self = HOGA_ORDER_DIALOG (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      self->engine = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hoga_order_dialog_class_init (HogaOrderDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = hoga_order_dialog_constructed;
  object_class->dispose = hoga_order_dialog_dispose;
  object_class->finalize = hoga_order_dialog_finalize;
  object_class->get_property = hoga_order_dialog_get_property;
  object_class->set_property = hoga_order_dialog_set_property;
  window_class->close_request = hoga_order_dialog_close_request;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, HOGA_TYPE_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_PLACED] =
    g_signal_new ("placed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, HOGA_TYPE_ORDER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/hoga/Hoga/hoga-order-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, HogaOrderDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, HogaOrderDialog, send_spinner);
  gtk_widget_class_bind_template_child (widget_class, HogaOrderDialog, form);
  gtk_widget_class_bind_template_child (widget_class, HogaOrderDialog, code_row);
  gtk_widget_class_bind_template_child (widget_class, HogaOrderDialog, lookup_spinner);
  gtk_widget_class_bind_template_child (widget_class, HogaOrderDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, HogaOrderDialog, buy_toggle);
  gtk_widget_class_bind_template_child (widget_class, HogaOrderDialog, sell_toggle);
  gtk_widget_class_bind_template_child (widget_class, HogaOrderDialog, qty_row);
  gtk_widget_class_bind_template_child (widget_class, HogaOrderDialog, qty_spin);
  gtk_widget_class_bind_template_child (widget_class, HogaOrderDialog, type_row);
  gtk_widget_class_bind_template_child (widget_class, HogaOrderDialog, price_row);
  gtk_widget_class_bind_template_child (widget_class, HogaOrderDialog, price_spin);
  gtk_widget_class_bind_template_child (widget_class, HogaOrderDialog, message_label);
  gtk_widget_class_bind_template_callback (widget_class, code_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, side_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, qty_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, type_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, price_input_cb);
  gtk_widget_class_bind_template_callback (widget_class, price_output_cb);
  gtk_widget_class_bind_template_callback (widget_class, price_changed_cb);

  gtk_widget_class_install_action (widget_class, "order.send", NULL, send_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
hoga_order_dialog_init (HogaOrderDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  activate_default_on_enter (GTK_EDITABLE (self->code_row));
  activate_default_on_enter (GTK_EDITABLE (self->qty_spin));
  activate_default_on_enter (GTK_EDITABLE (self->price_spin));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "order.send", FALSE);
}

/* ---- public API ---------------------------------------------------------------------- */

/**
 * hoga_order_dialog_new:
 * @parent: (nullable): the window it is modal for
 * @engine: the engine that places the order
 * @code: (nullable): a stock code to start with
 * @side: the side to start with; %HOGA_SIDE_NONE for buy
 *
 * A sell of a held @code starts with the whole sellable quantity.
 *
 * Returns: (transfer none): the dialog, not shown yet; it is destroyed when closed
 */
HogaOrderDialog *
hoga_order_dialog_new (GtkWindow  *parent,
                       HogaEngine *engine,
                       const char *code,
                       HogaSide    side)
{
  HogaOrderDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (HOGA_IS_ENGINE (engine), NULL);

  self = g_object_new (HOGA_TYPE_ORDER_DIALOG,
                       "transient-for", parent,
                       "engine", engine,
                       NULL);
  if (side == HOGA_SIDE_SELL)
    gtk_toggle_button_set_active (self->sell_toggle, TRUE);
  if (code != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->code_row), code);
  if (side == HOGA_SIDE_SELL && self->code[0] != '\0' && get_sellable (self) > 0)
    gtk_spin_button_set_value (self->qty_spin, (double) get_sellable (self));

  gtk_widget_grab_focus (self->code[0] != '\0' ? GTK_WIDGET (self->qty_spin)
                                               : GTK_WIDGET (self->code_row));
  return self;
}

/* ---- private API (hoga-order-dialog-private.h) --------------------------------------- */

GtkEditable *
hoga_order_dialog_get_code_editable (HogaOrderDialog *self)
{
  g_return_val_if_fail (HOGA_IS_ORDER_DIALOG (self), NULL);

  return GTK_EDITABLE (self->code_row);
}

GtkToggleButton *
hoga_order_dialog_get_sell_toggle (HogaOrderDialog *self)
{
  g_return_val_if_fail (HOGA_IS_ORDER_DIALOG (self), NULL);

  return self->sell_toggle;
}

GtkSpinButton *
hoga_order_dialog_get_qty_spin (HogaOrderDialog *self)
{
  g_return_val_if_fail (HOGA_IS_ORDER_DIALOG (self), NULL);

  return self->qty_spin;
}

AdwComboRow *
hoga_order_dialog_get_type_row (HogaOrderDialog *self)
{
  g_return_val_if_fail (HOGA_IS_ORDER_DIALOG (self), NULL);

  return self->type_row;
}

GtkSpinButton *
hoga_order_dialog_get_price_spin (HogaOrderDialog *self)
{
  g_return_val_if_fail (HOGA_IS_ORDER_DIALOG (self), NULL);

  return self->price_spin;
}

const char *
hoga_order_dialog_get_message (HogaOrderDialog *self)
{
  g_return_val_if_fail (HOGA_IS_ORDER_DIALOG (self), NULL);

  return gtk_label_get_text (self->message_label);
}

const char *
hoga_order_dialog_get_name_text (HogaOrderDialog *self)
{
  g_return_val_if_fail (HOGA_IS_ORDER_DIALOG (self), NULL);

  return adw_action_row_get_subtitle (self->name_row);
}

const char *
hoga_order_dialog_get_limits_text (HogaOrderDialog *self)
{
  g_return_val_if_fail (HOGA_IS_ORDER_DIALOG (self), NULL);

  return adw_action_row_get_subtitle (self->price_row);
}

gboolean
hoga_order_dialog_get_can_send (HogaOrderDialog *self)
{
  g_return_val_if_fail (HOGA_IS_ORDER_DIALOG (self), FALSE);

  return self->valid && !self->sending;
}

gboolean
hoga_order_dialog_get_sending (HogaOrderDialog *self)
{
  g_return_val_if_fail (HOGA_IS_ORDER_DIALOG (self), FALSE);

  return self->sending;
}
