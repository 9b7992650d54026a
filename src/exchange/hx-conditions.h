/* hx-conditions.h — server-side condition searches (조건검색식) with realtime I/D events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "hx-market.h"

G_BEGIN_DECLS

typedef struct {
  char  *seq;           /* "0", "1", … as listed by CNSRLST */
  char  *name;
} HxCondition;

#define HX_TYPE_CONDITIONS (hx_conditions_get_type ())
G_DECLARE_FINAL_TYPE (HxConditions, hx_conditions, HX, CONDITIONS, GObject)

/* Signals:
 *   ::changed (const char *seq, const char *code, gboolean inserted) — one I/D event.
 */
HxConditions      *hx_conditions_new        (HxMarket     *market,
                                             HxClock      *clock);
/* GKeyFile text, one group per condition; see data/exchange/conditions.ini. */
gboolean           hx_conditions_load       (HxConditions *self,
                                             GBytes       *keyfile,
                                             GError      **error);
guint              hx_conditions_get_n      (HxConditions *self);
const HxCondition *hx_conditions_get        (HxConditions *self,
                                             guint         index);
const HxCondition *hx_conditions_lookup     (HxConditions *self,
                                             const char   *seq);
/* Current members of @seq, sorted codes (transfer container; strings owned by market). */
GPtrArray         *hx_conditions_members    (HxConditions *self,
                                             const char   *seq);
/* Test scripting: force a member in or out, emitting ::changed when it changes. */
gboolean           hx_conditions_force      (HxConditions *self,
                                             const char   *seq,
                                             const char   *code,
                                             gboolean      inserted,
                                             GError      **error);
/* Stops automatic evaluation (scripted tests), keeping forced changes working. */
void               hx_conditions_set_automatic (HxConditions *self,
                                                gboolean      automatic);

G_END_DECLS
