/* hoga-tracker.h — the tracked positions: the tracking frame's model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hoga-broker.h"
#include "hoga-position.h"

G_BEGIN_DECLS

#define HOGA_TYPE_TRACKER (hoga_tracker_get_type ())
G_DECLARE_FINAL_TYPE (HogaTracker, hoga_tracker, HOGA, TRACKER, GObject)

/* A GListModel of HogaPosition, at most one per code, in the order they were added. */

HogaTracker  *hoga_tracker_new        (void);
gboolean      hoga_tracker_add        (HogaTracker    *self,
                                       HogaPosition   *position);
gboolean      hoga_tracker_remove     (HogaTracker    *self,
                                       const char     *code);
HogaPosition *hoga_tracker_lookup     (HogaTracker    *self,
                                       const char     *code);
HogaPosition *hoga_tracker_apply_tick (HogaTracker    *self,
                                       const HogaTick *tick);

G_END_DECLS
