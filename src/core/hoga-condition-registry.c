/* hoga-condition-registry.c — the saved conditions, which of them run in realtime, and
 * who is in each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The list is the drop-downs' model, so it must survive a reconnect without losing the
 * user's choice: a new CNSRLST reuses the HogaCondition of every seq still listed, and the
 * replacement is announced as one items-changed covering only the span that differs
 * (GtkSingleSelection keeps a selected item that comes back within that span).
 */
#define G_LOG_DOMAIN "hoga-models"

#include "config.h"

#include <string.h>

#include "hoga-condition-registry.h"

#define DEFAULT_MAX_ACTIVE 10

struct _HogaConditionRegistry
{
  GObject     parent_instance;

  GPtrArray  *conditions;   /* HogaCondition, in the broker's order */
  GHashTable *by_seq;       /* seq (owned by the condition) → HogaCondition */
  guint       max_active;
  guint       n_active;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HogaConditionRegistry, hoga_condition_registry, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

G_DEFINE_QUARK (hoga-condition-registry-error-quark, hoga_condition_registry_error)

enum {
  PROP_0,
  PROP_MAX_ACTIVE,
  PROP_N_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_n_active (HogaConditionRegistry *self)
{
  guint n_active = 0;

  for (guint i = 0; i < self->conditions->len; i++)
    if (hoga_condition_get_active (g_ptr_array_index (self->conditions, i)))
      n_active++;

  if (n_active == self->n_active)
    return;

  self->n_active = n_active;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ACTIVE]);
}

static HogaCondition *
lookup_or_fail (HogaConditionRegistry  *self,
                const char             *seq,
                GError                **error)
{
  HogaCondition *condition = g_hash_table_lookup (self->by_seq, seq);

  if (condition == NULL)
    g_set_error (error, HOGA_CONDITION_REGISTRY_ERROR, HOGA_CONDITION_REGISTRY_ERROR_UNKNOWN,
                 "No condition search with seq “%s”", seq);
  return condition;
}

static void
append_event (GArray     *events,
              const char *seq,
              const char *code,
              gboolean    inserted,
              gint64      now_us)
{
  HogaConditionEvent event = { 0 };

  g_strlcpy (event.seq, seq, sizeof event.seq);
  g_strlcpy (event.code, code, sizeof event.code);
  event.inserted = inserted;
  event.from_snapshot = TRUE;
  event.received_us = now_us;
  g_array_append_val (events, event);
}

static GType
hoga_condition_registry_get_item_type (GListModel *model)
{
  return HOGA_TYPE_CONDITION;
}

static guint
hoga_condition_registry_get_n_items (GListModel *model)
{
  return HOGA_CONDITION_REGISTRY (model)->conditions->len;
}

static gpointer
hoga_condition_registry_get_item (GListModel *model,
                                  guint       position)
{
  HogaConditionRegistry *self = HOGA_CONDITION_REGISTRY (model);

  if (position >= self->conditions->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->conditions, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = hoga_condition_registry_get_item_type;
  iface->get_n_items = hoga_condition_registry_get_n_items;
  iface->get_item = hoga_condition_registry_get_item;
}

static void
hoga_condition_registry_finalize (GObject *object)
{
  HogaConditionRegistry *self = HOGA_CONDITION_REGISTRY (object);

  g_clear_pointer (&self->by_seq, g_hash_table_unref);
  g_clear_pointer (&self->conditions, g_ptr_array_unref);

  G_OBJECT_CLASS (hoga_condition_registry_parent_class)->finalize (object);
}

static void
hoga_condition_registry_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  HogaConditionRegistry *self = HOGA_CONDITION_REGISTRY (object);

  switch (prop_id)
    {
    case PROP_MAX_ACTIVE:
      g_value_set_uint (value, self->max_active);
      break;
    case PROP_N_ACTIVE:
      g_value_set_uint (value, self->n_active);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hoga_condition_registry_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  HogaConditionRegistry *self = HOGA_CONDITION_REGISTRY (object);

  switch (prop_id)
    {
    case PROP_MAX_ACTIVE:
      hoga_condition_registry_set_max_active (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hoga_condition_registry_class_init (HogaConditionRegistryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hoga_condition_registry_finalize;
  object_class->get_property = hoga_condition_registry_get_property;
  object_class->set_property = hoga_condition_registry_set_property;

  properties[PROP_MAX_ACTIVE] =
    g_param_spec_uint ("max-active", NULL, NULL,
                       1, G_MAXUINT, DEFAULT_MAX_ACTIVE,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_ACTIVE] =
    g_param_spec_uint ("n-active", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hoga_condition_registry_init (HogaConditionRegistry *self)
{
  self->max_active = DEFAULT_MAX_ACTIVE;
  self->conditions = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_seq = g_hash_table_new (g_str_hash, g_str_equal);
}

HogaConditionRegistry *
hoga_condition_registry_new (void)
{
  return g_object_new (HOGA_TYPE_CONDITION_REGISTRY, NULL);
}

guint
hoga_condition_registry_get_max_active (HogaConditionRegistry *self)
{
  g_return_val_if_fail (HOGA_IS_CONDITION_REGISTRY (self), 0);

  return self->max_active;
}

/**
 * hoga_condition_registry_set_max_active:
 * @self: a #HogaConditionRegistry
 * @max_active: realtime conditions allowed at once, at least 1
 *
 * Lowering the limit below "n-active" stops nothing; it only refuses new activations.
 */
void
hoga_condition_registry_set_max_active (HogaConditionRegistry *self,
                                        guint                  max_active)
{
  g_return_if_fail (HOGA_IS_CONDITION_REGISTRY (self));
  g_return_if_fail (max_active > 0);

  if (self->max_active == max_active)
    return;

  self->max_active = max_active;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_ACTIVE]);
}

guint
hoga_condition_registry_get_n_active (HogaConditionRegistry *self)
{
  g_return_val_if_fail (HOGA_IS_CONDITION_REGISTRY (self), 0);

  return self->n_active;
}

/**
 * hoga_condition_registry_set_conditions:
 * @self: a #HogaConditionRegistry
 * @infos: (element-type HogaConditionInfo) (nullable): the CNSRLST reply, in its order
 *
 * Replaces the list. The object of a seq that is still listed is kept (renamed if its name
 * changed), with its activation and members; a seq listed twice counts once. Conditions
 * no longer listed are deactivated and dropped. Emits #GListModel::items-changed once, for
 * the span between the unchanged head and tail, and not at all when the order of objects
 * is the same.
 */
void
hoga_condition_registry_set_conditions (HogaConditionRegistry *self,
                                        GPtrArray             *infos)
{
  g_autoptr(GPtrArray) old = NULL;
  g_autoptr(GHashTable) old_by_seq = NULL;
  g_autoptr(GPtrArray) names = NULL;
  guint n_infos = infos != NULL ? infos->len : 0;
  guint prefix = 0;
  guint suffix = 0;
  guint removed;
  guint added;

  g_return_if_fail (HOGA_IS_CONDITION_REGISTRY (self));

  old = g_steal_pointer (&self->conditions);
  old_by_seq = g_steal_pointer (&self->by_seq);
  self->conditions = g_ptr_array_new_full (n_infos, g_object_unref);
  self->by_seq = g_hash_table_new (g_str_hash, g_str_equal);
  names = g_ptr_array_new_full (n_infos, NULL);

  for (guint i = 0; i < n_infos; i++)
    {
      const HogaConditionInfo *info = g_ptr_array_index (infos, i);
      HogaCondition *condition;

      if (info->seq[0] == '\0' || g_hash_table_contains (self->by_seq, info->seq))
        continue;

      condition = g_hash_table_lookup (old_by_seq, info->seq);
      if (condition != NULL)
        g_object_ref (condition);
      else
        condition = hoga_condition_new (info->seq, info->name);

      g_ptr_array_add (self->conditions, condition);
      g_ptr_array_add (names, (gpointer) info->name);
      g_hash_table_insert (self->by_seq, (gpointer) hoga_condition_get_seq (condition), condition);
    }

  while (prefix < old->len && prefix < self->conditions->len
         && g_ptr_array_index (old, prefix) == g_ptr_array_index (self->conditions, prefix))
    prefix++;
  while (suffix < old->len - prefix && suffix < self->conditions->len - prefix
         && g_ptr_array_index (old, old->len - 1 - suffix)
            == g_ptr_array_index (self->conditions, self->conditions->len - 1 - suffix))
    suffix++;
  removed = old->len - prefix - suffix;
  added = self->conditions->len - prefix - suffix;

  /* The list is complete before anything is announced: handlers of the notifications
   * below may read it. */
  if (removed > 0 || added > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix, removed, added);

  for (guint i = 0; i < self->conditions->len; i++)
    hoga_condition_set_name (g_ptr_array_index (self->conditions, i), g_ptr_array_index (names, i));

  for (guint i = 0; i < old->len; i++)
    {
      HogaCondition *condition = g_ptr_array_index (old, i);

      if (!g_hash_table_contains (self->by_seq, hoga_condition_get_seq (condition)))
        hoga_condition_set_active (condition, FALSE);
    }

  update_n_active (self);
}

/**
 * hoga_condition_registry_lookup:
 * @self: a #HogaConditionRegistry
 * @seq: a condition's seq
 *
 * Returns: (transfer none) (nullable): the condition
 */
HogaCondition *
hoga_condition_registry_lookup (HogaConditionRegistry *self,
                                const char            *seq)
{
  g_return_val_if_fail (HOGA_IS_CONDITION_REGISTRY (self), NULL);
  g_return_val_if_fail (seq != NULL, NULL);

  return g_hash_table_lookup (self->by_seq, seq);
}

/**
 * hoga_condition_registry_lookup_by_name:
 * @self: a #HogaConditionRegistry
 * @name: a condition's name
 *
 * Names are not unique on the broker's side: this finds the first in list order. Settings
 * store the seq; the name is for finding a condition again after it was re-created.
 *
 * Returns: (transfer none) (nullable): the condition
 */
HogaCondition *
hoga_condition_registry_lookup_by_name (HogaConditionRegistry *self,
                                        const char            *name)
{
  g_return_val_if_fail (HOGA_IS_CONDITION_REGISTRY (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < self->conditions->len; i++)
    {
      HogaCondition *condition = g_ptr_array_index (self->conditions, i);

      if (g_strcmp0 (hoga_condition_get_name (condition), name) == 0)
        return condition;
    }

  return NULL;
}

/**
 * hoga_condition_registry_dup_active_seqs:
 * @self: a #HogaConditionRegistry
 *
 * Returns: (transfer full): the seqs of the active conditions in list order, what to
 *   CNSRREQ again after a reconnect
 */
char **
hoga_condition_registry_dup_active_seqs (HogaConditionRegistry *self)
{
  g_autoptr(GStrvBuilder) builder = NULL;

  g_return_val_if_fail (HOGA_IS_CONDITION_REGISTRY (self), NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->conditions->len; i++)
    {
      HogaCondition *condition = g_ptr_array_index (self->conditions, i);

      if (hoga_condition_get_active (condition))
        g_strv_builder_add (builder, hoga_condition_get_seq (condition));
    }

  return g_strv_builder_end (builder);
}

/**
 * hoga_condition_registry_set_active:
 * @self: a #HogaConditionRegistry
 * @seq: a condition's seq
 * @active: start (before sending CNSRREQ) or stop (with CNSRCLR) its realtime search
 * @error: return location for a #GError
 *
 * Activating one more than "max-active" conditions fails with
 * %HOGA_CONDITION_REGISTRY_ERROR_LIMIT. Deactivating forgets the members.
 *
 * Returns: %TRUE when @seq is now in the state asked for
 */
gboolean
hoga_condition_registry_set_active (HogaConditionRegistry  *self,
                                    const char             *seq,
                                    gboolean                active,
                                    GError                **error)
{
  HogaCondition *condition;

  g_return_val_if_fail (HOGA_IS_CONDITION_REGISTRY (self), FALSE);
  g_return_val_if_fail (seq != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  condition = lookup_or_fail (self, seq, error);
  if (condition == NULL)
    return FALSE;

  if (active && !hoga_condition_get_active (condition) && self->n_active >= self->max_active)
    {
      g_set_error (error, HOGA_CONDITION_REGISTRY_ERROR, HOGA_CONDITION_REGISTRY_ERROR_LIMIT,
                   "Cannot start “%s”: %u condition searches already run in realtime, the most "
                   "allowed at once",
                   hoga_condition_get_name (condition), self->n_active);
      return FALSE;
    }

  hoga_condition_set_active (condition, active);
  update_n_active (self);

  return TRUE;
}

/**
 * hoga_condition_registry_set_snapshot:
 * @self: a #HogaConditionRegistry
 * @seq: an active condition's seq
 * @codes: (nullable) (array zero-terminated=1): the CNSRREQ snapshot, normalised codes
 * @error: return location for a #GError
 *
 * Makes @codes the members of @seq and reports how that differs from the members known
 * before: first the codes that left (sorted), then those that entered (in snapshot
 * order), as events with from_snapshot set. The first snapshot after activation reports
 * every code as entered.
 *
 * Returns: (transfer full) (element-type HogaConditionEvent): the differences, or %NULL
 *   with @error set when @seq is unknown or not active
 */
GArray *
hoga_condition_registry_set_snapshot (HogaConditionRegistry  *self,
                                      const char             *seq,
                                      const char * const     *codes,
                                      GError                **error)
{
  g_autoptr(GHashTable) wanted = NULL;
  g_auto(GStrv) members = NULL;
  HogaCondition *condition;
  GArray *events;
  gint64 now_us = g_get_monotonic_time ();

  g_return_val_if_fail (HOGA_IS_CONDITION_REGISTRY (self), NULL);
  g_return_val_if_fail (seq != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  condition = lookup_or_fail (self, seq, error);
  if (condition == NULL)
    return NULL;

  if (!hoga_condition_get_active (condition))
    {
      g_set_error (error, HOGA_CONDITION_REGISTRY_ERROR, HOGA_CONDITION_REGISTRY_ERROR_NOT_ACTIVE,
                   "Condition search “%s” is not running in realtime",
                   hoga_condition_get_name (condition));
      return NULL;
    }

  wanted = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; codes != NULL && codes[i] != NULL; i++)
    {
      if (codes[i][0] == '\0' || strlen (codes[i]) >= HOGA_CODE_SIZE)
        {
          g_warning ("Condition %s: snapshot has an invalid code “%s”", seq, codes[i]);
          continue;
        }
      g_hash_table_add (wanted, (gpointer) codes[i]);
    }

  events = g_array_new (FALSE, FALSE, sizeof (HogaConditionEvent));

  /* One member-count notification for the whole snapshot, not one per code. */
  g_object_freeze_notify (G_OBJECT (condition));

  members = hoga_condition_dup_members (condition);
  for (guint i = 0; members[i] != NULL; i++)
    {
      if (!g_hash_table_contains (wanted, members[i]))
        {
          hoga_condition_remove_member (condition, members[i]);
          append_event (events, seq, members[i], FALSE, now_us);
        }
    }

  for (guint i = 0; codes != NULL && codes[i] != NULL; i++)
    {
      if (g_hash_table_contains (wanted, codes[i]) && hoga_condition_add_member (condition, codes[i]))
        append_event (events, seq, codes[i], TRUE, now_us);
    }

  g_object_thaw_notify (G_OBJECT (condition));

  return events;
}

/**
 * hoga_condition_registry_apply_event:
 * @self: a #HogaConditionRegistry
 * @event: a 02 event
 *
 * Updates the members of the event's condition. An I for a member or a D for a code that
 * is not one changes nothing, and neither does an event for a condition that is not
 * active (a late event after CNSRCLR).
 *
 * Returns: %TRUE when the membership changed
 */
gboolean
hoga_condition_registry_apply_event (HogaConditionRegistry    *self,
                                     const HogaConditionEvent *event)
{
  HogaCondition *condition;

  g_return_val_if_fail (HOGA_IS_CONDITION_REGISTRY (self), FALSE);
  g_return_val_if_fail (event != NULL, FALSE);

  condition = g_hash_table_lookup (self->by_seq, event->seq);
  if (condition == NULL || !hoga_condition_get_active (condition))
    {
      g_debug ("Condition event for %s, which is not active: %c %s",
               event->seq, event->inserted ? 'I' : 'D', event->code);
      return FALSE;
    }

  if (event->inserted)
    return hoga_condition_add_member (condition, event->code);
  else
    return hoga_condition_remove_member (condition, event->code);
}

/**
 * hoga_condition_registry_is_member:
 * @self: a #HogaConditionRegistry
 * @seq: a condition's seq
 * @code: a stock code
 *
 * Returns: %TRUE when @code is currently in the active condition @seq
 */
gboolean
hoga_condition_registry_is_member (HogaConditionRegistry *self,
                                   const char            *seq,
                                   const char            *code)
{
  HogaCondition *condition;

  g_return_val_if_fail (HOGA_IS_CONDITION_REGISTRY (self), FALSE);
  g_return_val_if_fail (seq != NULL && code != NULL, FALSE);

  condition = g_hash_table_lookup (self->by_seq, seq);
  return condition != NULL && hoga_condition_has_member (condition, code);
}
