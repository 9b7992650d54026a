/* hoga-strategy-bar.h — the buy and sell conditions and the strategy's parameters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "hoga-condition-registry.h"

G_BEGIN_DECLS

#define HOGA_TYPE_STRATEGY_BAR (hoga_strategy_bar_get_type ())
G_DECLARE_FINAL_TYPE (HogaStrategyBar, hoga_strategy_bar, HOGA, STRATEGY_BAR, GtkWidget)

/* Properties
 *   "settings" (GSettings, nullable)  the io.github.hoga.Hoga.strategy child; the bar is
 *                                     insensitive without one
 *   "registry" (HogaConditionRegistry, nullable)  the saved conditions; NULL until the
 *                                     engine has started */

GtkWidget             *hoga_strategy_bar_new          (GSettings             *settings);
GSettings             *hoga_strategy_bar_get_settings (HogaStrategyBar       *self);
void                   hoga_strategy_bar_set_settings (HogaStrategyBar       *self,
                                                       GSettings             *settings);
HogaConditionRegistry *hoga_strategy_bar_get_registry (HogaStrategyBar       *self);
void                   hoga_strategy_bar_set_registry (HogaStrategyBar       *self,
                                                       HogaConditionRegistry *registry);

G_END_DECLS
