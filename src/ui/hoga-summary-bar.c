/* hoga-summary-bar.c — the account's figures at a glance
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One card per figure of HogaAccount, refreshed by that property's notify alone: the
 * totals change on every tick of a held stock, and nothing else needs redrawing then.
 */
#define G_LOG_DOMAIN "hoga-ui"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "hoga-format.h"
#include "hoga-summary-bar.h"

struct _HogaSummaryBar {
  GtkWidget    parent_instance;

  HogaAccount *account;
  guint        buys_today;
  guint        max_buys;

  GtkLabel    *cash_caption;
  GtkLabel    *cash_value;
  GtkLabel    *total_purchase_caption;
  GtkLabel    *total_purchase_value;
  GtkLabel    *total_eval_caption;
  GtkLabel    *total_eval_value;
  GtkLabel    *total_pnl_caption;
  GtkLabel    *total_pnl_value;
  GtkLabel    *return_caption;
  GtkLabel    *return_value;
  GtkLabel    *realized_caption;
  GtkLabel    *realized_value;
  GtkLabel    *buys_caption;
  GtkLabel    *buys_value;
};

G_DEFINE_FINAL_TYPE (HogaSummaryBar, hoga_summary_bar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ACCOUNT,
  PROP_BUYS_TODAY,
  PROP_MAX_BUYS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum {
  FIGURE_KRW,
  FIGURE_SIGNED_KRW,   /* coloured by its sign */
  FIGURE_BP,           /* coloured by its sign */
} FigureKind;

/* A card showing one gint64 property of HogaAccount. */
typedef struct {
  const char *property;
  FigureKind  kind;
  gsize       caption_offset;
  gsize       value_offset;
} Card;

#define CARD(property, kind, member) \
  { property, kind, G_STRUCT_OFFSET (HogaSummaryBar, member##_caption), \
    G_STRUCT_OFFSET (HogaSummaryBar, member##_value) }

static const Card cards[] = {
  CARD ("cash", FIGURE_KRW, cash),
  CARD ("total-purchase", FIGURE_KRW, total_purchase),
  CARD ("total-eval", FIGURE_KRW, total_eval),
  CARD ("total-pnl", FIGURE_SIGNED_KRW, total_pnl),
  CARD ("return-bp", FIGURE_BP, return),
  CARD ("realized-today", FIGURE_SIGNED_KRW, realized),
};

#undef CARD

static void
set_accessible_label (GtkLabel   *value,
                      const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (value),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
card_update (HogaSummaryBar *self,
             const Card     *card)
{
  GtkLabel *caption = G_STRUCT_MEMBER (GtkLabel *, self, card->caption_offset);
  GtkLabel *value = G_STRUCT_MEMBER (GtkLabel *, self, card->value_offset);
  const char *caption_text = gtk_label_get_label (caption);
  g_autofree char *accessible = NULL;
  char buf[HOGA_FORMAT_SIZE];
  const char *text;
  gint64 figure = 0;

  if (self->account == NULL)
    {
      gtk_label_set_label (value, "—");
      hoga_format_set_sign_class (GTK_WIDGET (value), 0);
      /* Translators: a summary card's caption, when there is no account yet */
      accessible = g_strdup_printf (_("%s: not available"), caption_text);
      set_accessible_label (value, accessible);
      return;
    }

  g_object_get (self->account, card->property, &figure, NULL);

  switch (card->kind)
    {
    case FIGURE_KRW:
    case FIGURE_SIGNED_KRW:
      text = card->kind == FIGURE_KRW ? hoga_format_krw (buf, figure)
                                      : hoga_format_signed_krw (buf, figure);
      /* Translators: a summary card's caption and its amount, “Deposit 12,345,000 won” */
      accessible = g_strdup_printf (_("%s %s won"), caption_text, text);
      break;

    case FIGURE_BP:
    default:
      text = hoga_format_bp (buf, figure);
      /* Translators: a summary card's caption and its percentage, “Return +1.25 %” */
      accessible = g_strdup_printf (C_("summary card", "%s %s"), caption_text, text);
      break;
    }

  gtk_label_set_label (value, text);
  if (card->kind != FIGURE_KRW)
    hoga_format_set_sign_class (GTK_WIDGET (value), figure);
  set_accessible_label (value, accessible);
}

static void
buys_update (HogaSummaryBar *self)
{
  g_autofree char *text = NULL;
  g_autofree char *accessible = NULL;

  if (self->max_buys > 0)
    {
      /* Translators: buys placed today, then the daily limit */
      text = g_strdup_printf (_("%u / %u"), self->buys_today, self->max_buys);
      /* Translators: buys placed today, then the daily limit */
      accessible = g_strdup_printf (_("Buys today: %u of at most %u"),
                                    self->buys_today, self->max_buys);
    }
  else
    {
      text = g_strdup_printf ("%u", self->buys_today);
      accessible = g_strdup_printf (_("Buys today: %u"), self->buys_today);
    }

  gtk_label_set_label (self->buys_value, text);
  set_accessible_label (self->buys_value, accessible);

  /* The limit reached stops automatic buying: say so before the user wonders why. */
  if (self->max_buys > 0 && self->buys_today >= self->max_buys)
    gtk_widget_add_css_class (GTK_WIDGET (self->buys_value), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->buys_value), "warning");
}

static void
cards_update (HogaSummaryBar *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (cards); i++)
    card_update (self, &cards[i]);
}

static void
account_notify_cb (HogaAccount    *account,
                   GParamSpec     *pspec,
                   HogaSummaryBar *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (cards); i++)
    {
      if (g_str_equal (pspec->name, cards[i].property))
        {
          card_update (self, &cards[i]);
          return;
        }
    }
}

static void
hoga_summary_bar_dispose (GObject *object)
{
  HogaSummaryBar *self = HOGA_SUMMARY_BAR (object);
  GtkWidget *child;

  if (self->account != NULL)
    g_signal_handlers_disconnect_by_data (self->account, self);
  g_clear_object (&self->account);

  gtk_widget_dispose_template (GTK_WIDGET (self), HOGA_TYPE_SUMMARY_BAR);
  /* The template's top-level boxes are not bound, so not unparented above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (hoga_summary_bar_parent_class)->dispose (object);
}

static void
hoga_summary_bar_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  HogaSummaryBar *self = HOGA_SUMMARY_BAR (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;

    case PROP_BUYS_TODAY:
      g_value_set_uint (value, self->buys_today);
      break;

    case PROP_MAX_BUYS:
      g_value_set_uint (value, self->max_buys);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hoga_summary_bar_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  HogaSummaryBar *self = HOGA_SUMMARY_BAR (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      hoga_summary_bar_set_account (self, g_value_get_object (value));
      break;

    case PROP_BUYS_TODAY:
      hoga_summary_bar_set_buys_today (self, g_value_get_uint (value));
      break;

    case PROP_MAX_BUYS:
      hoga_summary_bar_set_max_buys (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hoga_summary_bar_class_init (HogaSummaryBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hoga_summary_bar_dispose;
  object_class->get_property = hoga_summary_bar_get_property;
  object_class->set_property = hoga_summary_bar_set_property;

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL,
                         HOGA_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_BUYS_TODAY] =
    g_param_spec_uint ("buys-today", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_MAX_BUYS] =
    g_param_spec_uint ("max-buys", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/hoga/Hoga/hoga-summary-bar.ui");
  gtk_widget_class_set_css_name (widget_class, "summarybar");

  gtk_widget_class_bind_template_child (widget_class, HogaSummaryBar, cash_caption);
  gtk_widget_class_bind_template_child (widget_class, HogaSummaryBar, cash_value);
  gtk_widget_class_bind_template_child (widget_class, HogaSummaryBar, total_purchase_caption);
  gtk_widget_class_bind_template_child (widget_class, HogaSummaryBar, total_purchase_value);
  gtk_widget_class_bind_template_child (widget_class, HogaSummaryBar, total_eval_caption);
  gtk_widget_class_bind_template_child (widget_class, HogaSummaryBar, total_eval_value);
  gtk_widget_class_bind_template_child (widget_class, HogaSummaryBar, total_pnl_caption);
  gtk_widget_class_bind_template_child (widget_class, HogaSummaryBar, total_pnl_value);
  gtk_widget_class_bind_template_child (widget_class, HogaSummaryBar, return_caption);
  gtk_widget_class_bind_template_child (widget_class, HogaSummaryBar, return_value);
  gtk_widget_class_bind_template_child (widget_class, HogaSummaryBar, realized_caption);
  gtk_widget_class_bind_template_child (widget_class, HogaSummaryBar, realized_value);
  gtk_widget_class_bind_template_child (widget_class, HogaSummaryBar, buys_caption);
  gtk_widget_class_bind_template_child (widget_class, HogaSummaryBar, buys_value);
}

static void
hoga_summary_bar_init (HogaSummaryBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  cards_update (self);
  buys_update (self);
}

GtkWidget *
hoga_summary_bar_new (void)
{
  return g_object_new (HOGA_TYPE_SUMMARY_BAR, NULL);
}

/**
 * hoga_summary_bar_get_account:
 * @self: a #HogaSummaryBar
 *
 * Returns: (transfer none) (nullable): the account shown
 */
HogaAccount *
hoga_summary_bar_get_account (HogaSummaryBar *self)
{
  g_return_val_if_fail (HOGA_IS_SUMMARY_BAR (self), NULL);

  return self->account;
}

/**
 * hoga_summary_bar_set_account:
 * @self: a #HogaSummaryBar
 * @account: (nullable): the account to show
 */
void
hoga_summary_bar_set_account (HogaSummaryBar *self,
                              HogaAccount    *account)
{
  g_return_if_fail (HOGA_IS_SUMMARY_BAR (self));
  g_return_if_fail (account == NULL || HOGA_IS_ACCOUNT (account));

  if (self->account == account)
    return;

  if (self->account != NULL)
    g_signal_handlers_disconnect_by_data (self->account, self);
  g_set_object (&self->account, account);

  if (account != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (cards); i++)
        {
          g_autofree char *detailed = g_strconcat ("notify::", cards[i].property, NULL);

          g_signal_connect_object (account, detailed,
                                   G_CALLBACK (account_notify_cb), self, 0);
        }
    }

  cards_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
}

guint
hoga_summary_bar_get_buys_today (HogaSummaryBar *self)
{
  g_return_val_if_fail (HOGA_IS_SUMMARY_BAR (self), 0);

  return self->buys_today;
}

void
hoga_summary_bar_set_buys_today (HogaSummaryBar *self,
                                 guint           buys_today)
{
  g_return_if_fail (HOGA_IS_SUMMARY_BAR (self));

  if (self->buys_today == buys_today)
    return;

  self->buys_today = buys_today;
  buys_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUYS_TODAY]);
}

guint
hoga_summary_bar_get_max_buys (HogaSummaryBar *self)
{
  g_return_val_if_fail (HOGA_IS_SUMMARY_BAR (self), 0);

  return self->max_buys;
}

/**
 * hoga_summary_bar_set_max_buys:
 * @self: a #HogaSummaryBar
 * @max_buys: the daily buy limit, or 0 to show the count alone
 */
void
hoga_summary_bar_set_max_buys (HogaSummaryBar *self,
                               guint           max_buys)
{
  g_return_if_fail (HOGA_IS_SUMMARY_BAR (self));

  if (self->max_buys == max_buys)
    return;

  self->max_buys = max_buys;
  buys_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_BUYS]);
}
