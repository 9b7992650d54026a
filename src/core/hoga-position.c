/* hoga-position.c — one tracked position, a row of the tracking frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The position shows what the engine decided; it decides nothing. Peak, stop and armed are
 * copied from the exit rules' state after each evaluation, and the return uses the exit
 * rules' own formula so the frame shows the figure the rules act on.
 */
#define G_LOG_DOMAIN "hoga-models"

#include "config.h"

#include "hoga-position.h"

struct _HogaPosition
{
  GObject            parent_instance;

  char              *code;
  char              *name;
  gint64             entered_at;
  gint64             price;
  gint64             avg_cost;
  gint64             qty;
  gint64             return_bp;
  gint64             peak;
  gint64             stop;
  gboolean           armed;
  HogaPositionState  state;
  HogaExitReason     exit_reason;
  gboolean           external;
};

G_DEFINE_FINAL_TYPE (HogaPosition, hoga_position, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (HogaPositionState, hoga_position_state,
  G_DEFINE_ENUM_VALUE (HOGA_POSITION_STATE_WAITING_FILL, "waiting-fill"),
  G_DEFINE_ENUM_VALUE (HOGA_POSITION_STATE_TRACKING, "tracking"),
  G_DEFINE_ENUM_VALUE (HOGA_POSITION_STATE_SELLING, "selling"),
  G_DEFINE_ENUM_VALUE (HOGA_POSITION_STATE_CLOSED, "closed"))

enum {
  PROP_0,
  PROP_CODE,
  PROP_NAME,
  PROP_ENTERED_AT,
  PROP_PRICE,
  PROP_AVG_COST,
  PROP_QTY,
  PROP_RETURN_BP,
  PROP_PEAK,
  PROP_STOP,
  PROP_ARMED,
  PROP_STATE,
  PROP_EXIT_REASON,
  PROP_EXTERNAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_STATIC_ASSERT (N_PROPS <= 32);

static inline void
update (gint64  *field,
        gint64   value,
        guint    prop_id,
        guint32 *changed)
{
  if (*field != value)
    {
      *field = value;
      *changed |= 1u << prop_id;
    }
}

static void
update_return (HogaPosition *self,
               guint32      *changed)
{
  gint64 return_bp = 0;

  if (self->avg_cost > 0 && self->price > 0)
    return_bp = hoga_exit_rules_profit_bp (self->avg_cost, self->price);
  update (&self->return_bp, return_bp, PROP_RETURN_BP, changed);
}

static void
notify_changed (HogaPosition *self,
                guint32       changed)
{
  for (guint prop_id = PROP_0 + 1; changed != 0 && prop_id < N_PROPS; prop_id++)
    {
      if (changed & (1u << prop_id))
        {
          changed &= ~(1u << prop_id);
          g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
        }
    }
}

static void
hoga_position_finalize (GObject *object)
{
  HogaPosition *self = HOGA_POSITION (object);

  g_free (self->code);
  g_free (self->name);

  G_OBJECT_CLASS (hoga_position_parent_class)->finalize (object);
}

static void
hoga_position_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  HogaPosition *self = HOGA_POSITION (object);

  switch (prop_id)
    {
    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_ENTERED_AT:
      g_value_set_int64 (value, self->entered_at);
      break;
    case PROP_PRICE:
      g_value_set_int64 (value, self->price);
      break;
    case PROP_AVG_COST:
      g_value_set_int64 (value, self->avg_cost);
      break;
    case PROP_QTY:
      g_value_set_int64 (value, self->qty);
      break;
    case PROP_RETURN_BP:
      g_value_set_int64 (value, self->return_bp);
      break;
    case PROP_PEAK:
      g_value_set_int64 (value, self->peak);
      break;
    case PROP_STOP:
      g_value_set_int64 (value, self->stop);
      break;
    case PROP_ARMED:
      g_value_set_boolean (value, self->armed);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_EXIT_REASON:
      g_value_set_int (value, self->exit_reason);
      break;
    case PROP_EXTERNAL:
      g_value_set_boolean (value, self->external);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hoga_position_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  HogaPosition *self = HOGA_POSITION (object);

  switch (prop_id)
    {
    case PROP_CODE:
      self->code = g_value_dup_string (value);
      break;
    case PROP_NAME:
      hoga_position_set_name (self, g_value_get_string (value));
      break;
    case PROP_ENTERED_AT:
      self->entered_at = g_value_get_int64 (value);
      break;
    case PROP_STATE:
      hoga_position_set_state (self, g_value_get_enum (value));
      break;
    case PROP_EXIT_REASON:
      hoga_position_set_exit_reason (self, g_value_get_int (value));
      break;
    case PROP_EXTERNAL:
      hoga_position_set_external (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
int64_param (const char *name)
{
  return g_param_spec_int64 (name, NULL, NULL,
                             G_MININT64, G_MAXINT64, 0,
                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static void
hoga_position_class_init (HogaPositionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hoga_position_finalize;
  object_class->get_property = hoga_position_get_property;
  object_class->set_property = hoga_position_set_property;

  properties[PROP_CODE] =
    g_param_spec_string ("code", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ENTERED_AT] =
    g_param_spec_int64 ("entered-at", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRICE] = int64_param ("price");
  properties[PROP_AVG_COST] = int64_param ("avg-cost");
  properties[PROP_QTY] = int64_param ("qty");
  properties[PROP_RETURN_BP] = int64_param ("return-bp");
  properties[PROP_PEAK] = int64_param ("peak");
  properties[PROP_STOP] = int64_param ("stop");
  properties[PROP_ARMED] =
    g_param_spec_boolean ("armed", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       HOGA_TYPE_POSITION_STATE, HOGA_POSITION_STATE_WAITING_FILL,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* An int until hoga-exit-rules.h registers a GType for HogaExitReason. */
  properties[PROP_EXIT_REASON] =
    g_param_spec_int ("exit-reason", NULL, NULL,
                      HOGA_EXIT_REASON_NONE, HOGA_EXIT_REASON_END_OF_DAY, HOGA_EXIT_REASON_NONE,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_EXTERNAL] =
    g_param_spec_boolean ("external", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hoga_position_init (HogaPosition *self)
{
  self->state = HOGA_POSITION_STATE_WAITING_FILL;
  self->exit_reason = HOGA_EXIT_REASON_NONE;
}

/**
 * hoga_position_new:
 * @code: a normalised stock code
 * @name: (nullable): its name
 * @entered_at_us: wall-clock time of the entry (g_get_real_time()), kept across restarts
 *
 * Returns: (transfer full): a position waiting for its buy fill
 */
HogaPosition *
hoga_position_new (const char *code,
                   const char *name,
                   gint64      entered_at_us)
{
  g_return_val_if_fail (code != NULL && *code != '\0', NULL);
  g_return_val_if_fail (entered_at_us >= 0, NULL);

  return g_object_new (HOGA_TYPE_POSITION,
                       "code", code,
                       "name", name,
                       "entered-at", entered_at_us,
                       NULL);
}

const char *
hoga_position_get_code (HogaPosition *self)
{
  g_return_val_if_fail (HOGA_IS_POSITION (self), NULL);

  return self->code;
}

const char *
hoga_position_get_name (HogaPosition *self)
{
  g_return_val_if_fail (HOGA_IS_POSITION (self), NULL);

  return self->name;
}

void
hoga_position_set_name (HogaPosition *self,
                        const char   *name)
{
  g_return_if_fail (HOGA_IS_POSITION (self));

  if (g_strcmp0 (self->name, name) == 0)
    return;

  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

gint64
hoga_position_get_entered_at (HogaPosition *self)
{
  g_return_val_if_fail (HOGA_IS_POSITION (self), 0);

  return self->entered_at;
}

gint64
hoga_position_get_price (HogaPosition *self)
{
  g_return_val_if_fail (HOGA_IS_POSITION (self), 0);

  return self->price;
}

/**
 * hoga_position_set_price:
 * @self: a #HogaPosition
 * @price: the last traded price
 *
 * Updates the price and the return. Allocates nothing.
 */
void
hoga_position_set_price (HogaPosition *self,
                         gint64        price)
{
  guint32 changed = 0;

  g_return_if_fail (HOGA_IS_POSITION (self));
  g_return_if_fail (price >= 0);

  update (&self->price, price, PROP_PRICE, &changed);
  update_return (self, &changed);
  notify_changed (self, changed);
}

gint64
hoga_position_get_avg_cost (HogaPosition *self)
{
  g_return_val_if_fail (HOGA_IS_POSITION (self), 0);

  return self->avg_cost;
}

gint64
hoga_position_get_qty (HogaPosition *self)
{
  g_return_val_if_fail (HOGA_IS_POSITION (self), 0);

  return self->qty;
}

/**
 * hoga_position_set_fill:
 * @self: a #HogaPosition
 * @avg_cost: the average cost per share from the fills or the account
 * @qty: the quantity held
 */
void
hoga_position_set_fill (HogaPosition *self,
                        gint64        avg_cost,
                        gint64        qty)
{
  guint32 changed = 0;

  g_return_if_fail (HOGA_IS_POSITION (self));
  g_return_if_fail (avg_cost >= 0 && qty >= 0);

  update (&self->avg_cost, avg_cost, PROP_AVG_COST, &changed);
  update (&self->qty, qty, PROP_QTY, &changed);
  update_return (self, &changed);
  notify_changed (self, changed);
}

gint64
hoga_position_get_return_bp (HogaPosition *self)
{
  g_return_val_if_fail (HOGA_IS_POSITION (self), 0);

  return self->return_bp;
}

gint64
hoga_position_get_peak (HogaPosition *self)
{
  g_return_val_if_fail (HOGA_IS_POSITION (self), 0);

  return self->peak;
}

gint64
hoga_position_get_stop (HogaPosition *self)
{
  g_return_val_if_fail (HOGA_IS_POSITION (self), 0);

  return self->stop;
}

gboolean
hoga_position_get_armed (HogaPosition *self)
{
  g_return_val_if_fail (HOGA_IS_POSITION (self), FALSE);

  return self->armed;
}

/**
 * hoga_position_apply_exit_state:
 * @self: a #HogaPosition
 * @state: the exit rules' state after an evaluation (#HogaExitDecision.next)
 *
 * Mirrors peak, stop and armed, notifying those that changed. Allocates nothing.
 */
void
hoga_position_apply_exit_state (HogaPosition        *self,
                                const HogaExitState *state)
{
  guint32 changed = 0;
  gboolean armed;

  g_return_if_fail (HOGA_IS_POSITION (self));
  g_return_if_fail (state != NULL);

  update (&self->peak, state->peak, PROP_PEAK, &changed);
  update (&self->stop, state->stop, PROP_STOP, &changed);
  armed = !!state->armed;
  if (self->armed != armed)
    {
      self->armed = armed;
      changed |= 1u << PROP_ARMED;
    }
  notify_changed (self, changed);
}

HogaPositionState
hoga_position_get_state (HogaPosition *self)
{
  g_return_val_if_fail (HOGA_IS_POSITION (self), HOGA_POSITION_STATE_WAITING_FILL);

  return self->state;
}

void
hoga_position_set_state (HogaPosition      *self,
                         HogaPositionState  state)
{
  g_return_if_fail (HOGA_IS_POSITION (self));
  g_return_if_fail (state <= HOGA_POSITION_STATE_CLOSED);

  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

HogaExitReason
hoga_position_get_exit_reason (HogaPosition *self)
{
  g_return_val_if_fail (HOGA_IS_POSITION (self), HOGA_EXIT_REASON_NONE);

  return self->exit_reason;
}

void
hoga_position_set_exit_reason (HogaPosition   *self,
                               HogaExitReason  reason)
{
  g_return_if_fail (HOGA_IS_POSITION (self));
  g_return_if_fail (reason <= HOGA_EXIT_REASON_END_OF_DAY);

  if (self->exit_reason == reason)
    return;

  self->exit_reason = reason;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXIT_REASON]);
}

gboolean
hoga_position_get_external (HogaPosition *self)
{
  g_return_val_if_fail (HOGA_IS_POSITION (self), FALSE);

  return self->external;
}

void
hoga_position_set_external (HogaPosition *self,
                            gboolean      external)
{
  g_return_if_fail (HOGA_IS_POSITION (self));

  external = !!external;
  if (self->external == external)
    return;

  self->external = external;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXTERNAL]);
}
