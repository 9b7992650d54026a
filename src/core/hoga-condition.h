/* hoga-condition.h — one saved condition search (조건검색식) and its current members
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define HOGA_TYPE_CONDITION (hoga_condition_get_type ())
G_DECLARE_FINAL_TYPE (HogaCondition, hoga_condition, HOGA, CONDITION, GObject)

/* Properties
 *   "seq" (string, construct-only)   the broker's id, "4"
 *   "name" (string)
 *   "active" (boolean, read-only)    a realtime search is running for it
 *   "member-count" (uint, read-only) codes currently in it
 *
 * Activation and membership belong to HogaConditionRegistry, which enforces the limit on
 * active conditions: change them through the registry. */

HogaCondition  *hoga_condition_new              (const char    *seq,
                                                 const char    *name);
const char     *hoga_condition_get_seq          (HogaCondition *self);
const char     *hoga_condition_get_name         (HogaCondition *self);
void            hoga_condition_set_name         (HogaCondition *self,
                                                 const char    *name);
gboolean        hoga_condition_get_active       (HogaCondition *self);
void            hoga_condition_set_active       (HogaCondition *self,
                                                 gboolean       active);
guint           hoga_condition_get_member_count (HogaCondition *self);
gboolean        hoga_condition_has_member       (HogaCondition *self,
                                                 const char    *code);
char          **hoga_condition_dup_members      (HogaCondition *self);
gboolean        hoga_condition_add_member       (HogaCondition *self,
                                                 const char    *code);
gboolean        hoga_condition_remove_member    (HogaCondition *self,
                                                 const char    *code);

G_END_DECLS
