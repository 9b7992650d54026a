/* hoga-condition-registry.h — the saved conditions, which of them run in realtime, and
 * who is in each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hoga-broker.h"
#include "hoga-condition.h"

G_BEGIN_DECLS

#define HOGA_CONDITION_REGISTRY_ERROR (hoga_condition_registry_error_quark ())
GQuark hoga_condition_registry_error_quark (void);

typedef enum {
  HOGA_CONDITION_REGISTRY_ERROR_UNKNOWN,     /* no condition with that seq */
  HOGA_CONDITION_REGISTRY_ERROR_LIMIT,       /* "max-active" conditions already run */
  HOGA_CONDITION_REGISTRY_ERROR_NOT_ACTIVE,  /* a snapshot for a condition not started */
} HogaConditionRegistryError;

#define HOGA_TYPE_CONDITION_REGISTRY (hoga_condition_registry_get_type ())
G_DECLARE_FINAL_TYPE (HogaConditionRegistry, hoga_condition_registry,
                      HOGA, CONDITION_REGISTRY, GObject)

/* A GListModel of HogaCondition in the broker's order: the model of the buy and sell
 * condition drop-downs.
 *
 * Properties
 *   "max-active" (uint)          realtime conditions allowed at once; 10 (Kiwoom's limit)
 *   "n-active" (uint, read-only) realtime conditions running */

HogaConditionRegistry  *hoga_condition_registry_new             (void);
guint                   hoga_condition_registry_get_max_active  (HogaConditionRegistry     *self);
void                    hoga_condition_registry_set_max_active  (HogaConditionRegistry     *self,
                                                                 guint                      max_active);
guint                   hoga_condition_registry_get_n_active    (HogaConditionRegistry     *self);

void                    hoga_condition_registry_set_conditions  (HogaConditionRegistry     *self,
                                                                 GPtrArray                 *infos);
HogaCondition          *hoga_condition_registry_lookup          (HogaConditionRegistry     *self,
                                                                 const char                *seq);
HogaCondition          *hoga_condition_registry_lookup_by_name  (HogaConditionRegistry     *self,
                                                                 const char                *name);
char                  **hoga_condition_registry_dup_active_seqs (HogaConditionRegistry     *self);

gboolean                hoga_condition_registry_set_active      (HogaConditionRegistry     *self,
                                                                 const char                *seq,
                                                                 gboolean                   active,
                                                                 GError                   **error);
GArray                 *hoga_condition_registry_set_snapshot    (HogaConditionRegistry     *self,
                                                                 const char                *seq,
                                                                 const char * const        *codes,
                                                                 GError                   **error);
gboolean                hoga_condition_registry_apply_event     (HogaConditionRegistry     *self,
                                                                 const HogaConditionEvent  *event);
gboolean                hoga_condition_registry_is_member       (HogaConditionRegistry     *self,
                                                                 const char                *seq,
                                                                 const char                *code);

G_END_DECLS
