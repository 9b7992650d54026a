/* hx-clock.h — the exchange's session clock (KST), real time or accelerated
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "hoga-krx.h"

G_BEGIN_DECLS

typedef enum {
  HX_CLOCK_ALWAYS_OPEN,   /* every instant is continuous trading (demos, tests) */
  HX_CLOCK_KRX,           /* the real KRX schedule from hoga-krx */
} HxClockMode;

#define HX_TYPE_CLOCK (hx_clock_get_type ())
G_DECLARE_FINAL_TYPE (HxClock, hx_clock, HX, CLOCK, GObject)

/* @start: the simulated time at creation (NULL = now). @speed: simulated seconds per real
 * second (1.0 = real time). Emits ::phase-changed (guint HogaKrxPhase) when a KRX phase
 * boundary passes (checked once per simulated second while running). */
HxClock      *hx_clock_new          (HxClockMode  mode,
                                     double       speed,
                                     GDateTime   *start);
HxClockMode   hx_clock_get_mode     (HxClock     *self);
double        hx_clock_get_speed    (HxClock     *self);
GDateTime    *hx_clock_now          (HxClock     *self);
/* The simulated time as microseconds since the Unix epoch: no allocation, for hot paths. */
gint64        hx_clock_now_usec     (HxClock     *self);
void          hx_clock_format_time  (HxClock     *self,
                                     char         hhmmss[7]);
void          hx_clock_format_date  (HxClock     *self,
                                     char         yyyymmdd[9]);
HogaKrxPhase  hx_clock_get_phase    (HxClock     *self);
gboolean      hx_clock_accepts_orders (HxClock   *self);
gboolean      hx_clock_is_trading   (HxClock     *self);

G_END_DECLS
