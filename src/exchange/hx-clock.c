/* hx-clock.c — the exchange's session clock (KST), real time or accelerated
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Simulated time is the start time plus the monotonic time elapsed since creation, scaled
 * by the speed, so wall-clock jumps on the host never move the session.
 */
#define G_LOG_DOMAIN "hoga-exchange"

#include "config.h"

#include "hx-clock.h"

struct _HxClock
{
  GObject       parent_instance;

  HxClockMode   mode;
  double        speed;
  GDateTime    *start;              /* KST */
  gint64        start_unix_usec;
  gint64        start_monotonic;

  HogaKrxPhase  watched_phase;
  guint         watch_id;
};

G_DEFINE_FINAL_TYPE (HxClock, hx_clock, G_TYPE_OBJECT)

enum {
  PHASE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GTimeSpan
simulated_elapsed (HxClock *self)
{
  return (GTimeSpan) ((double) (g_get_monotonic_time () - self->start_monotonic) * self->speed);
}

static HogaKrxPhase
phase_now (HxClock *self)
{
  g_autoptr(GDateTime) now = NULL;

  if (self->mode == HX_CLOCK_ALWAYS_OPEN)
    return HOGA_KRX_PHASE_CONTINUOUS;

  now = g_date_time_add (self->start, simulated_elapsed (self));
  return hoga_krx_phase_at (now);
}

static gboolean
phase_watch_cb (gpointer user_data)
{
  HxClock *self = user_data;
  HogaKrxPhase phase = phase_now (self);

  if (phase != self->watched_phase)
    {
      self->watched_phase = phase;
      g_debug ("Session phase is now %s", hoga_krx_phase_to_string (phase));
      g_signal_emit (self, signals[PHASE_CHANGED], 0, (guint) phase);
    }
  return G_SOURCE_CONTINUE;
}

/* The watcher polls once per simulated second, so it only runs for clocks that are used:
 * an always-open clock never changes phase and needs none. */
static void
ensure_watch (HxClock *self)
{
  guint interval_ms;

  if (self->watch_id != 0 || self->mode != HX_CLOCK_KRX)
    return;

  interval_ms = (guint) MAX (10.0, 1000.0 / self->speed);
  self->watched_phase = phase_now (self);
  self->watch_id = g_timeout_add (interval_ms, phase_watch_cb, self);
}

static void
hx_clock_dispose (GObject *object)
{
  HxClock *self = HX_CLOCK (object);

  g_clear_handle_id (&self->watch_id, g_source_remove);

  G_OBJECT_CLASS (hx_clock_parent_class)->dispose (object);
}

static void
hx_clock_finalize (GObject *object)
{
  HxClock *self = HX_CLOCK (object);

  g_clear_pointer (&self->start, g_date_time_unref);

  G_OBJECT_CLASS (hx_clock_parent_class)->finalize (object);
}

static void
hx_clock_class_init (HxClockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hx_clock_dispose;
  object_class->finalize = hx_clock_finalize;

  /* (guint phase): a HogaKrxPhase, emitted when a phase boundary has passed. */
  signals[PHASE_CHANGED] =
    g_signal_new ("phase-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
hx_clock_init (HxClock *self)
{
}

HxClock *
hx_clock_new (HxClockMode  mode,
              double       speed,
              GDateTime   *start)
{
  HxClock *self;

  g_return_val_if_fail (mode == HX_CLOCK_ALWAYS_OPEN || mode == HX_CLOCK_KRX, NULL);
  g_return_val_if_fail (speed > 0.0, NULL);

  self = g_object_new (HX_TYPE_CLOCK, NULL);
  self->mode = mode;
  self->speed = speed;
  self->start = start != NULL ? hoga_krx_to_kst (start) : hoga_krx_now ();
  self->start_unix_usec = g_date_time_to_unix (self->start) * G_USEC_PER_SEC
                          + g_date_time_get_microsecond (self->start);
  self->start_monotonic = g_get_monotonic_time ();

  return self;
}

HxClockMode
hx_clock_get_mode (HxClock *self)
{
  g_return_val_if_fail (HX_IS_CLOCK (self), HX_CLOCK_ALWAYS_OPEN);

  return self->mode;
}

double
hx_clock_get_speed (HxClock *self)
{
  g_return_val_if_fail (HX_IS_CLOCK (self), 1.0);

  return self->speed;
}

GDateTime *
hx_clock_now (HxClock *self)
{
  g_return_val_if_fail (HX_IS_CLOCK (self), NULL);

  ensure_watch (self);
  return g_date_time_add (self->start, simulated_elapsed (self));
}

gint64
hx_clock_now_usec (HxClock *self)
{
  g_return_val_if_fail (HX_IS_CLOCK (self), 0);

  ensure_watch (self);
  return self->start_unix_usec + simulated_elapsed (self);
}

void
hx_clock_format_time (HxClock *self,
                      char     hhmmss[7])
{
  g_autoptr(GDateTime) now = NULL;

  g_return_if_fail (HX_IS_CLOCK (self));
  g_return_if_fail (hhmmss != NULL);

  now = hx_clock_now (self);
  g_snprintf (hhmmss, 7, "%02d%02d%02d",
              g_date_time_get_hour (now),
              g_date_time_get_minute (now),
              g_date_time_get_second (now));
}

void
hx_clock_format_date (HxClock *self,
                      char     yyyymmdd[9])
{
  g_autoptr(GDateTime) now = NULL;

  g_return_if_fail (HX_IS_CLOCK (self));
  g_return_if_fail (yyyymmdd != NULL);

  now = hx_clock_now (self);
  g_snprintf (yyyymmdd, 9, "%04d%02d%02d",
              g_date_time_get_year (now),
              g_date_time_get_month (now),
              g_date_time_get_day_of_month (now));
}

HogaKrxPhase
hx_clock_get_phase (HxClock *self)
{
  g_return_val_if_fail (HX_IS_CLOCK (self), HOGA_KRX_PHASE_CLOSED);

  ensure_watch (self);
  return phase_now (self);
}

gboolean
hx_clock_accepts_orders (HxClock *self)
{
  g_return_val_if_fail (HX_IS_CLOCK (self), FALSE);

  return hoga_krx_phase_is_regular (hx_clock_get_phase (self));
}

gboolean
hx_clock_is_trading (HxClock *self)
{
  g_return_val_if_fail (HX_IS_CLOCK (self), FALSE);

  return hx_clock_get_phase (self) == HOGA_KRX_PHASE_CONTINUOUS;
}
