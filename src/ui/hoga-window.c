/* hoga-window.c — the trading window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DESIGN.md §6. The window shows one engine at a time and drives it only through its
 * public calls; every trading decision stays in the engine. Without an engine (starting,
 * failed, restarting) the trade actions are disabled, so no control can act on a stale one.
 */
#define G_LOG_DOMAIN "hoga-ui"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "hoga-account-table.h"
#include "hoga-event-log.h"
#include "hoga-format.h"
#include "hoga-krx.h"
#include "hoga-order-dialog.h"
#include "hoga-orders-table.h"
#include "hoga-strategy-bar.h"
#include "hoga-summary-bar.h"
#include "hoga-tracking-table.h"
#include "hoga-window.h"
#include "hoga-window-private.h"

struct _HogaWindow {
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  GSettings            *window_state;
  HogaEngine           *engine;
  GSignalGroup         *engine_signals;
  GSignalGroup         *broker_signals;
  GSignalGroup         *order_signals;
  GBinding             *buys_today_binding;

  /* template children */
  GtkLabel             *profile_badge;
  GtkImage             *connection_icon;
  GtkLabel             *connection_label;
  GtkBox               *profile_banner;
  GtkLabel             *profile_banner_label;
  GtkRevealer          *kill_banner;
  GtkLabel             *kill_banner_label;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  AdwStatusPage        *starting_page;
  GtkSpinner           *starting_spinner;
  AdwStatusPage        *failed_page;
  HogaStrategyBar      *strategy_bar;
  HogaSummaryBar       *summary_bar;
  GtkPaned             *log_paned;
  GtkPaned             *orders_paned;
  GtkPaned             *frames_paned;
  HogaAccountTable     *account_table;
  HogaTrackingTable    *tracking_table;
  HogaOrdersTable      *orders_table;
  HogaEventLog         *event_log;
};

G_DEFINE_FINAL_TYPE (HogaWindow, hoga_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_ENGINE,
  PROP_AUTO_BUY,
  PROP_AUTO_SELL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Actions that need an engine. */
static const char * const engine_actions[] = {
  "trade.auto-buy",
  "trade.auto-sell",
  "trade.kill-switch",
  "trade.reset-kill-switch",
  "trade.sell-now",
  "trade.stop-tracking",
  "trade.adopt",
  "order.cancel",
  "win.new-order",
};

static void
toast (HogaWindow *self,
       const char *message)
{
  AdwToast *item = adw_toast_new (message);

  adw_toast_set_timeout (item, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, item);
}

static const char *
stock_name (HogaWindow *self,
            const char *code)
{
  HogaQuote *quote = hoga_quote_book_lookup (hoga_engine_get_quote_book (self->engine), code);

  return quote != NULL && *hoga_quote_get_name (quote) != '\0' ? hoga_quote_get_name (quote)
                                                                : code;
}

static void
send_notification (HogaWindow    *self,
                   const char    *id,
                   const char    *title,
                   const char    *body,
                   GNotificationPriority priority)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(GNotification) notification = NULL;

  if (application == NULL)
    return;
  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, priority);
  g_application_send_notification (G_APPLICATION (application), id, notification);
}

/* ---- header ----------------------------------------------------------------------------- */

static void
update_connection (HogaWindow *self)
{
  HogaBroker *broker = self->engine != NULL ? hoga_engine_get_broker (self->engine) : NULL;
  HogaConnectionState state = broker != NULL ? hoga_broker_get_state (broker)
                                             : HOGA_CONNECTION_OFFLINE;
  g_autofree char *text = NULL;
  const char *icon = "network-offline-symbolic";

  switch (state)
    {
    case HOGA_CONNECTION_ONLINE:
      {
        gint64 latency_us = 0;

        g_object_get (broker, "latency-us", &latency_us, NULL);
        icon = "network-transmit-receive-symbolic";
        text = latency_us > 0
               /* Translators: connection state with the round-trip time in milliseconds */
               ? g_strdup_printf (_("Online · %.0f ms"), latency_us / 1000.0)
               : g_strdup (_("Online"));
      }
      break;
    case HOGA_CONNECTION_CONNECTING:
      icon = "network-idle-symbolic";
      text = g_strdup (_("Connecting…"));
      break;
    case HOGA_CONNECTION_RECONNECTING:
      icon = "network-error-symbolic";
      text = g_strdup (_("Reconnecting…"));
      break;
    case HOGA_CONNECTION_OFFLINE:
    default:
      text = g_strdup (_("Offline"));
      break;
    }

  gtk_image_set_from_icon_name (self->connection_icon, icon);
  gtk_label_set_label (self->connection_label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->connection_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

static void
update_kill_tier (HogaWindow *self)
{
  HogaKillTier tier = self->engine != NULL ? hoga_engine_get_kill_tier (self->engine)
                                           : HOGA_KILL_NONE;
  const char *text = NULL;

  switch (tier)
    {
    case HOGA_KILL_STOP_BUYING:
      text = _("Kill switch: buying is stopped. Exits keep protecting your positions.");
      break;
    case HOGA_KILL_STOP_ALL:
      text = _("Kill switch: all automation is stopped and working orders were cancelled. "
               "Positions are not protected.");
      break;
    case HOGA_KILL_FLATTEN:
      text = _("Kill switch: every position is being sold at market; automation is stopped.");
      break;
    case HOGA_KILL_NONE:
    default:
      break;
    }

  if (text != NULL)
    gtk_label_set_label (self->kill_banner_label, text);
  gtk_revealer_set_reveal_child (self->kill_banner, text != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "trade.reset-kill-switch",
                                 self->engine != NULL && tier != HOGA_KILL_NONE);
}

/* ---- engine callbacks ------------------------------------------------------------------- */

static void
broker_notify_cb (HogaWindow *self)
{
  update_connection (self);
}

static void
kill_tier_cb (HogaWindow *self)
{
  HogaKillTier tier = hoga_engine_get_kill_tier (self->engine);

  update_kill_tier (self);
  if (tier != HOGA_KILL_NONE)
    send_notification (self, "kill-switch", _("Kill switch"),
                       gtk_label_get_label (self->kill_banner_label),
                       G_NOTIFICATION_PRIORITY_URGENT);
}

static void
auto_buy_cb (HogaWindow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTO_BUY]);
}

static void
auto_sell_cb (HogaWindow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTO_SELL]);
}

static void
fill_cb (HogaWindow *self,
         HogaOrder  *order,
         gint64      qty,
         gint64      price)
{
  g_autofree char *id = g_strdup_printf ("fill-%" G_GINT64_FORMAT, hoga_order_get_id (order));
  char qty_text[HOGA_FORMAT_SIZE];
  char price_text[HOGA_FORMAT_SIZE];
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  const char *name = stock_name (self, hoga_order_get_code (order));

  if (hoga_order_get_side (order) == HOGA_SIDE_BUY)
    /* Translators: a fill; the number of shares, then the stock's name */
    title = g_strdup_printf (_("Bought %s × %s"), hoga_format_krw (qty_text, qty), name);
  else
    /* Translators: a fill; the number of shares, then the stock's name */
    title = g_strdup_printf (_("Sold %s × %s"), hoga_format_krw (qty_text, qty), name);
  /* Translators: a price in Korean won */
  body = g_strdup_printf (_("At %s won"), hoga_format_krw (price_text, price));
  send_notification (self, id, title, body, G_NOTIFICATION_PRIORITY_NORMAL);
}

/* ---- actions ---------------------------------------------------------------------------- */

static void
kill_switch_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         gpointer          user_data)
{
  HogaWindow *self = user_data;

  if (g_strcmp0 (response, "flatten") == 0 && self->engine != NULL)
    hoga_engine_kill_switch (self->engine, HOGA_KILL_FLATTEN);
}

static void
kill_switch_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  HogaWindow *self = HOGA_WINDOW (widget);
  int tier = g_variant_get_int32 (parameter);
  AdwMessageDialog *dialog;

  if (tier < HOGA_KILL_STOP_BUYING || tier > HOGA_KILL_FLATTEN)
    return;
  if (tier != HOGA_KILL_FLATTEN)
    {
      hoga_engine_kill_switch (self->engine, tier);
      return;
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Sell Everything at Market?"),
                                                       _("Every position is sold at market "
                                                         "price now and all automation "
                                                         "stops. This cannot be undone.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "flatten", _("_Sell Everything"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "flatten", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (kill_switch_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
reset_kill_switch_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  HogaWindow *self = HOGA_WINDOW (widget);

  hoga_engine_reset_kill_switch (self->engine);
}

static void
sell_now_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      gpointer          user_data)
{
  HogaWindow *self = user_data;
  const char *code = g_object_get_data (G_OBJECT (dialog), "code");

  if (g_strcmp0 (response, "sell") == 0 && self->engine != NULL)
    hoga_engine_sell_now (self->engine, code);
}

static void
sell_now_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  HogaWindow *self = HOGA_WINDOW (widget);
  const char *code = g_variant_get_string (parameter, NULL);
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  /* Translators: the stock's name, then its code */
  heading = g_strdup_printf (_("Sell %s (%s) Now?"), stock_name (self, code), code);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading,
                                                       _("The whole position is sold at market "
                                                         "price.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "sell", _("_Sell at Market"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "sell", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "code", g_strdup (code), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (sell_now_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
stop_tracking_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  HogaWindow *self = HOGA_WINDOW (widget);
  const char *code = g_variant_get_string (parameter, NULL);
  g_autofree char *message = NULL;

  hoga_engine_stop_tracking (self->engine, code);
  /* Translators: the stock's name */
  message = g_strdup_printf (_("%s is no longer tracked: no automatic exit will sell it"),
                             stock_name (self, code));
  toast (self, message);
}

static void
adopt_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  HogaWindow *self = HOGA_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!hoga_engine_adopt (self->engine, g_variant_get_string (parameter, NULL), &error))
    toast (self, error->message);
}

static void
cancel_order_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  HogaWindow *self = HOGA_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!hoga_engine_cancel_order (self->engine, g_variant_get_int64 (parameter), &error))
    toast (self, error->message);
}

static void
new_order_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  HogaWindow *self = HOGA_WINDOW (widget);
  HogaOrderDialog *dialog = hoga_order_dialog_new (GTK_WINDOW (self), self->engine, NULL,
                                                   HOGA_SIDE_BUY);

  gtk_window_present (GTK_WINDOW (dialog));
}

static char *
frame_csv (HogaWindow *self,
           const char *frame)
{
  if (g_strcmp0 (frame, "account") == 0)
    return hoga_account_table_to_csv (self->account_table);
  if (g_strcmp0 (frame, "tracking") == 0)
    return hoga_tracking_table_to_csv (self->tracking_table);
  if (g_strcmp0 (frame, "orders") == 0)
    return hoga_orders_table_to_csv (self->orders_table);
  return NULL;
}

static void
export_written_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(HogaWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *name = g_file_get_parse_name (G_FILE (source));

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    /* Translators: a file name, then the reason */
    message = g_strdup_printf (_("Could not save %s: %s"), name, error->message);
  else
    /* Translators: a file name */
    message = g_strdup_printf (_("Saved %s"), name);
  toast (self, message);
}

static void
export_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    gpointer         user_data)
{
  HogaWindow *self = user_data;
  const char *frame = g_object_get_data (G_OBJECT (chooser), "frame");
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *csv;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      csv = frame_csv (self, frame);
      bytes = g_bytes_new_take (csv, strlen (csv));
      g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_NONE,
                                           NULL, export_written_cb, g_object_ref (self));
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  HogaWindow *self = HOGA_WINDOW (widget);
  const char *frame = g_variant_get_string (parameter, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now (hoga_krx_time_zone ());
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *suggested = NULL;
  GtkFileChooserNative *chooser;

  if (frame_csv (self, frame) == NULL)
    return;
  /* Translators: the file name a CSV export suggests; the frame's id, then a date */
  suggested = g_strdup_printf (_("hoga-%s-%s.csv"), frame, date);
  chooser = gtk_file_chooser_native_new (_("Export as CSV"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested);
  g_object_set_data_full (G_OBJECT (chooser), "frame", g_strdup (frame), g_free);
  g_signal_connect_object (chooser, "response", G_CALLBACK (export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
update_actions (HogaWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (engine_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), engine_actions[i], self->engine != NULL);
  update_kill_tier (self);
}

/* ---- state ------------------------------------------------------------------------------ */

static void
restore_pane (GtkPaned   *paned,
              GSettings  *window_state,
              const char *key)
{
  int position = g_settings_get_int (window_state, key);

  if (position >= 0)
    gtk_paned_set_position (paned, position);
}

static void
restore_state (HogaWindow *self)
{
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->window_state, "width"),
                               g_settings_get_int (self->window_state, "height"));
  if (g_settings_get_boolean (self->window_state, "maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  restore_pane (self->frames_paned, self->window_state, "frames-pane-position");
  restore_pane (self->orders_paned, self->window_state, "orders-pane-position");
  restore_pane (self->log_paned, self->window_state, "log-pane-position");

  g_settings_bind (self->window_state, "account-columns", self->account_table, "column-state",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->window_state, "tracking-columns", self->tracking_table,
                   "column-state", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->window_state, "orders-columns", self->orders_table, "column-state",
                   G_SETTINGS_BIND_DEFAULT);
}

static void
save_pane (GtkPaned   *paned,
           GSettings  *window_state,
           const char *key)
{
  /* An unrealised pane has no position worth keeping. */
  if (gtk_widget_get_mapped (GTK_WIDGET (paned)))
    g_settings_set_int (window_state, key, gtk_paned_get_position (paned));
}

static gboolean
close_request_cb (GtkWindow *window)
{
  HogaWindow *self = HOGA_WINDOW (window);
  GtkApplication *application = gtk_window_get_application (window);

  hoga_window_save_state (self);
  /* The application stops the engine, flushing the journal, and then quits. */
  if (application != NULL && g_action_group_has_action (G_ACTION_GROUP (application), "quit"))
    {
      g_action_group_activate_action (G_ACTION_GROUP (application), "quit", NULL);
      return TRUE;
    }
  return FALSE;
}

/* ---- GObject ---------------------------------------------------------------------------- */

static void
hoga_window_dispose (GObject *object)
{
  HogaWindow *self = HOGA_WINDOW (object);

  hoga_window_set_engine (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HOGA_TYPE_WINDOW);
  g_clear_object (&self->engine_signals);
  g_clear_object (&self->broker_signals);
  g_clear_object (&self->order_signals);
  g_clear_object (&self->window_state);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (hoga_window_parent_class)->dispose (object);
}

static void
hoga_window_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  HogaWindow *self = HOGA_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    case PROP_AUTO_BUY:
      g_value_set_boolean (value, self->engine != NULL && hoga_engine_get_auto_buy (self->engine));
      break;
    case PROP_AUTO_SELL:
      g_value_set_boolean (value,
                           self->engine != NULL && hoga_engine_get_auto_sell (self->engine));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hoga_window_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  HogaWindow *self = HOGA_WINDOW (object);

  switch (prop_id)
    {
    case PROP_AUTO_BUY:
      if (self->engine != NULL)
        {
          const HogaSettings *settings = hoga_engine_get_settings (self->engine);

          hoga_engine_set_auto_buy (self->engine, g_value_get_boolean (value));
          /* On, but nothing to buy from: say so rather than wait in silence. */
          if (g_value_get_boolean (value) && settings->buy_condition[0] == '\0'
              && settings->buy_condition_seq[0] == '\0')
            toast (self, _("Automatic buying is on, but no buy condition is chosen: pick one "
                           "in the strategy bar"));
        }
      break;
    case PROP_AUTO_SELL:
      if (self->engine != NULL)
        hoga_engine_set_auto_sell (self->engine, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hoga_window_class_init (HogaWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = hoga_window_dispose;
  object_class->get_property = hoga_window_get_property;
  object_class->set_property = hoga_window_set_property;
  window_class->close_request = close_request_cb;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, HOGA_TYPE_ENGINE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_AUTO_BUY] =
    g_param_spec_boolean ("auto-buy", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_AUTO_SELL] =
    g_param_spec_boolean ("auto-sell", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/hoga/Hoga/hoga-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HogaWindow, profile_badge);
  gtk_widget_class_bind_template_child (widget_class, HogaWindow, connection_icon);
  gtk_widget_class_bind_template_child (widget_class, HogaWindow, connection_label);
  gtk_widget_class_bind_template_child (widget_class, HogaWindow, profile_banner);
  gtk_widget_class_bind_template_child (widget_class, HogaWindow, profile_banner_label);
  gtk_widget_class_bind_template_child (widget_class, HogaWindow, kill_banner);
  gtk_widget_class_bind_template_child (widget_class, HogaWindow, kill_banner_label);
  gtk_widget_class_bind_template_child (widget_class, HogaWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HogaWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, HogaWindow, starting_page);
  gtk_widget_class_bind_template_child (widget_class, HogaWindow, starting_spinner);
  gtk_widget_class_bind_template_child (widget_class, HogaWindow, failed_page);
  gtk_widget_class_bind_template_child (widget_class, HogaWindow, strategy_bar);
  gtk_widget_class_bind_template_child (widget_class, HogaWindow, summary_bar);
  gtk_widget_class_bind_template_child (widget_class, HogaWindow, log_paned);
  gtk_widget_class_bind_template_child (widget_class, HogaWindow, orders_paned);
  gtk_widget_class_bind_template_child (widget_class, HogaWindow, frames_paned);
  gtk_widget_class_bind_template_child (widget_class, HogaWindow, account_table);
  gtk_widget_class_bind_template_child (widget_class, HogaWindow, tracking_table);
  gtk_widget_class_bind_template_child (widget_class, HogaWindow, orders_table);
  gtk_widget_class_bind_template_child (widget_class, HogaWindow, event_log);

  gtk_widget_class_install_property_action (widget_class, "trade.auto-buy", "auto-buy");
  gtk_widget_class_install_property_action (widget_class, "trade.auto-sell", "auto-sell");
  gtk_widget_class_install_action (widget_class, "trade.kill-switch", "i", kill_switch_action);
  gtk_widget_class_install_action (widget_class, "trade.reset-kill-switch", NULL,
                                   reset_kill_switch_action);
  gtk_widget_class_install_action (widget_class, "trade.sell-now", "s", sell_now_action);
  gtk_widget_class_install_action (widget_class, "trade.stop-tracking", "s",
                                   stop_tracking_action);
  gtk_widget_class_install_action (widget_class, "trade.adopt", "s", adopt_action);
  gtk_widget_class_install_action (widget_class, "order.cancel", "x", cancel_order_action);
  gtk_widget_class_install_action (widget_class, "win.new-order", NULL, new_order_action);
  gtk_widget_class_install_action (widget_class, "win.export", "s", export_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-order", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_B,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "trade.auto-buy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_S,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "trade.auto-sell", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_X,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "trade.kill-switch", "i", HOGA_KILL_STOP_BUYING);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_C,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "trade.kill-switch", "i", HOGA_KILL_STOP_ALL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "trade.kill-switch", "i", HOGA_KILL_FLATTEN);
}

static void
hoga_window_init (HogaWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->engine_signals = g_signal_group_new (HOGA_TYPE_ENGINE);
  g_signal_group_connect_swapped (self->engine_signals, "notify::kill-tier",
                                  G_CALLBACK (kill_tier_cb), self);
  g_signal_group_connect_swapped (self->engine_signals, "notify::auto-buy",
                                  G_CALLBACK (auto_buy_cb), self);
  g_signal_group_connect_swapped (self->engine_signals, "notify::auto-sell",
                                  G_CALLBACK (auto_sell_cb), self);

  /* The broker is an interface: its notify signals belong to the object behind it. */
  self->broker_signals = g_signal_group_new (G_TYPE_OBJECT);
  g_signal_group_connect_swapped (self->broker_signals, "notify::state",
                                  G_CALLBACK (broker_notify_cb), self);
  g_signal_group_connect_swapped (self->broker_signals, "notify::latency-us",
                                  G_CALLBACK (broker_notify_cb), self);

  self->order_signals = g_signal_group_new (HOGA_TYPE_ORDER_BOOK);
  g_signal_group_connect_swapped (self->order_signals, "fill", G_CALLBACK (fill_cb), self);

  gtk_stack_set_visible_child_name (self->stack, "starting");
  update_actions (self);
  update_connection (self);
}

HogaWindow *
hoga_window_new (AdwApplication *application,
                 GSettings      *settings)
{
  HogaWindow *self;

  g_return_val_if_fail (ADW_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (HOGA_TYPE_WINDOW, "application", application, NULL);
  self->settings = g_object_ref (settings);
  self->window_state = g_settings_get_child (settings, "window-state");
  {
    g_autoptr(GSettings) strategy = g_settings_get_child (settings, "strategy");
    g_autoptr(GSettings) risk = g_settings_get_child (settings, "risk");

    hoga_strategy_bar_set_settings (self->strategy_bar, strategy);
    g_settings_bind (risk, "max-buys-per-day", self->summary_bar, "max-buys",
                     G_SETTINGS_BIND_GET);
  }
  restore_state (self);
  return self;
}

void
hoga_window_set_profile (HogaWindow  *self,
                         HogaProfile  profile)
{
  static const char * const classes[] = { "simulated", "mock", "real", "custom" };
  const char *badge;
  const char *banner;

  g_return_if_fail (HOGA_IS_WINDOW (self));
  g_return_if_fail (profile <= HOGA_PROFILE_CUSTOM);

  switch (profile)
    {
    case HOGA_PROFILE_SIMULATED:
      badge = _("Simulation");
      banner = _("Simulation: a simulated exchange on this computer. No order reaches Kiwoom "
                 "and no money is involved.");
      break;
    case HOGA_PROFILE_MOCK:
      badge = _("Mock Trading");
      banner = _("Mock trading: Kiwoom's mock-investment server. Orders are real requests on "
                 "a practice account, without real money.");
      break;
    case HOGA_PROFILE_REAL:
      badge = _("Real Trading");
      banner = _("REAL TRADING: orders go to your Kiwoom account and trade real money.");
      break;
    case HOGA_PROFILE_CUSTOM:
    default:
      badge = _("Custom Server");
      banner = _("Custom server: orders go to the server set in Preferences.");
      break;
    }

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->profile_badge), classes[i]);
      gtk_widget_remove_css_class (GTK_WIDGET (self->profile_banner), classes[i]);
    }
  gtk_widget_add_css_class (GTK_WIDGET (self->profile_badge), classes[profile]);
  gtk_widget_add_css_class (GTK_WIDGET (self->profile_banner), classes[profile]);
  gtk_label_set_label (self->profile_badge, badge);
  gtk_label_set_label (self->profile_banner_label, banner);
}

void
hoga_window_show_starting (HogaWindow *self,
                           const char *message)
{
  g_return_if_fail (HOGA_IS_WINDOW (self));

  adw_status_page_set_title (self->starting_page, message);
  gtk_spinner_start (self->starting_spinner);
  gtk_stack_set_visible_child_name (self->stack, "starting");
}

void
hoga_window_show_failed (HogaWindow *self,
                         const char *message)
{
  g_return_if_fail (HOGA_IS_WINDOW (self));

  hoga_window_set_engine (self, NULL);
  gtk_spinner_stop (self->starting_spinner);
  adw_status_page_set_description (self->failed_page, message);
  gtk_stack_set_visible_child_name (self->stack, "failed");
}

void
hoga_window_set_engine (HogaWindow *self,
                        HogaEngine *engine)
{
  HogaAccount *account = NULL;

  g_return_if_fail (HOGA_IS_WINDOW (self));
  g_return_if_fail (engine == NULL || HOGA_IS_ENGINE (engine));

  if (engine == self->engine)
    return;
  /* Before the old engine may go: the binding lives as long as its source. */
  g_clear_pointer (&self->buys_today_binding, g_binding_unbind);
  g_set_object (&self->engine, engine);

  if (engine != NULL)
    account = hoga_engine_get_account (engine);
  g_signal_group_set_target (self->engine_signals, engine);
  g_signal_group_set_target (self->broker_signals,
                             engine != NULL ? hoga_engine_get_broker (engine) : NULL);
  g_signal_group_set_target (self->order_signals,
                             engine != NULL ? hoga_engine_get_order_book (engine) : NULL);

  /* The template's children are gone during dispose. */
  if (self->account_table != NULL)
    {
      hoga_account_table_set_model (self->account_table, G_LIST_MODEL (account));
      hoga_tracking_table_set_model (self->tracking_table,
                                     engine != NULL
                                     ? G_LIST_MODEL (hoga_engine_get_tracker (engine)) : NULL);
      hoga_orders_table_set_model (self->orders_table,
                                   engine != NULL
                                   ? G_LIST_MODEL (hoga_engine_get_order_book (engine)) : NULL);
      hoga_strategy_bar_set_registry (self->strategy_bar,
                                      engine != NULL
                                      ? hoga_engine_get_condition_registry (engine) : NULL);
      hoga_summary_bar_set_account (self->summary_bar, account);
      if (engine != NULL)
        self->buys_today_binding = g_object_bind_property (engine, "buys-today",
                                                           self->summary_bar, "buys-today",
                                                           G_BINDING_SYNC_CREATE);
      else
        hoga_summary_bar_set_buys_today (self->summary_bar, 0);
      gtk_spinner_stop (self->starting_spinner);
      if (engine != NULL)
        gtk_stack_set_visible_child_name (self->stack, "running");
      update_actions (self);
      update_connection (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTO_BUY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTO_SELL]);
}

HogaEngine *
hoga_window_get_engine (HogaWindow *self)
{
  g_return_val_if_fail (HOGA_IS_WINDOW (self), NULL);

  return self->engine;
}

void
hoga_window_add_log (HogaWindow     *self,
                     GDateTime      *time,
                     GLogLevelFlags  level,
                     const char     *code,
                     const char     *message)
{
  g_return_if_fail (HOGA_IS_WINDOW (self));

  hoga_event_log_append (self->event_log, time, level, code, message);
}

void
hoga_window_show_problem (HogaWindow *self,
                          const char *message)
{
  g_return_if_fail (HOGA_IS_WINDOW (self));

  toast (self, message);
}

void
hoga_window_offer_restart (HogaWindow *self,
                           const char *message)
{
  AdwToast *item;

  g_return_if_fail (HOGA_IS_WINDOW (self));

  item = adw_toast_new (message);
  adw_toast_set_timeout (item, 0);
  adw_toast_set_button_label (item, _("_Restart Engine"));
  adw_toast_set_action_name (item, "app.restart-engine");
  adw_toast_overlay_add_toast (self->toast_overlay, item);
}

void
hoga_window_save_state (HogaWindow *self)
{
  int width;
  int height;

  g_return_if_fail (HOGA_IS_WINDOW (self));

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->window_state);
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width > 0 && height > 0)
    {
      g_settings_set_int (self->window_state, "width", width);
      g_settings_set_int (self->window_state, "height", height);
    }
  g_settings_set_boolean (self->window_state, "maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  save_pane (self->frames_paned, self->window_state, "frames-pane-position");
  save_pane (self->orders_paned, self->window_state, "orders-pane-position");
  save_pane (self->log_paned, self->window_state, "log-pane-position");
  g_settings_apply (self->window_state);
}

const char *
hoga_window_get_page (HogaWindow *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

HogaStrategyBar *
hoga_window_get_strategy_bar (HogaWindow *self)
{
  return self->strategy_bar;
}

HogaSummaryBar *
hoga_window_get_summary_bar (HogaWindow *self)
{
  return self->summary_bar;
}

HogaAccountTable *
hoga_window_get_account_table (HogaWindow *self)
{
  return self->account_table;
}

HogaTrackingTable *
hoga_window_get_tracking_table (HogaWindow *self)
{
  return self->tracking_table;
}

HogaOrdersTable *
hoga_window_get_orders_table (HogaWindow *self)
{
  return self->orders_table;
}

HogaEventLog *
hoga_window_get_event_log (HogaWindow *self)
{
  return self->event_log;
}

GtkLabel *
hoga_window_get_connection_label (HogaWindow *self)
{
  return self->connection_label;
}

GtkLabel *
hoga_window_get_profile_badge (HogaWindow *self)
{
  return self->profile_badge;
}

gboolean
hoga_window_get_kill_banner_shown (HogaWindow *self)
{
  return gtk_revealer_get_reveal_child (self->kill_banner);
}
