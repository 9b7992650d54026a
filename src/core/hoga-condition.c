/* hoga-condition.c — one saved condition search (조건검색식) and its current members
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hoga-models"

#include "config.h"

#include <string.h>

#include "hoga-condition.h"

struct _HogaCondition
{
  GObject     parent_instance;

  char       *seq;
  char       *name;
  GHashTable *members;   /* code → NULL */
  gboolean    active;
};

G_DEFINE_FINAL_TYPE (HogaCondition, hoga_condition, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SEQ,
  PROP_NAME,
  PROP_ACTIVE,
  PROP_MEMBER_COUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static int
compare_codes (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
hoga_condition_finalize (GObject *object)
{
  HogaCondition *self = HOGA_CONDITION (object);

  g_clear_pointer (&self->members, g_hash_table_unref);
  g_free (self->seq);
  g_free (self->name);

  G_OBJECT_CLASS (hoga_condition_parent_class)->finalize (object);
}

static void
hoga_condition_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  HogaCondition *self = HOGA_CONDITION (object);

  switch (prop_id)
    {
    case PROP_SEQ:
      g_value_set_string (value, self->seq);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    case PROP_MEMBER_COUNT:
      g_value_set_uint (value, g_hash_table_size (self->members));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hoga_condition_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  HogaCondition *self = HOGA_CONDITION (object);

  switch (prop_id)
    {
    case PROP_SEQ:
      self->seq = g_value_dup_string (value);
      break;
    case PROP_NAME:
      hoga_condition_set_name (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hoga_condition_class_init (HogaConditionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hoga_condition_finalize;
  object_class->get_property = hoga_condition_get_property;
  object_class->set_property = hoga_condition_set_property;

  properties[PROP_SEQ] =
    g_param_spec_string ("seq", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_MEMBER_COUNT] =
    g_param_spec_uint ("member-count", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hoga_condition_init (HogaCondition *self)
{
  self->members = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

HogaCondition *
hoga_condition_new (const char *seq,
                    const char *name)
{
  g_return_val_if_fail (seq != NULL && *seq != '\0', NULL);

  return g_object_new (HOGA_TYPE_CONDITION,
                       "seq", seq,
                       "name", name,
                       NULL);
}

const char *
hoga_condition_get_seq (HogaCondition *self)
{
  g_return_val_if_fail (HOGA_IS_CONDITION (self), NULL);

  return self->seq;
}

const char *
hoga_condition_get_name (HogaCondition *self)
{
  g_return_val_if_fail (HOGA_IS_CONDITION (self), NULL);

  return self->name;
}

void
hoga_condition_set_name (HogaCondition *self,
                         const char    *name)
{
  g_return_if_fail (HOGA_IS_CONDITION (self));

  if (g_strcmp0 (self->name, name) == 0)
    return;

  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

gboolean
hoga_condition_get_active (HogaCondition *self)
{
  g_return_val_if_fail (HOGA_IS_CONDITION (self), FALSE);

  return self->active;
}

/**
 * hoga_condition_set_active:
 * @self: a #HogaCondition
 * @active: whether a realtime search runs for it
 *
 * Deactivating forgets the members: once the search stops, nobody tells us who leaves.
 */
void
hoga_condition_set_active (HogaCondition *self,
                           gboolean       active)
{
  g_return_if_fail (HOGA_IS_CONDITION (self));

  active = !!active;
  if (self->active == active)
    return;

  self->active = active;
  if (!active && g_hash_table_size (self->members) > 0)
    {
      g_hash_table_remove_all (self->members);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMBER_COUNT]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

guint
hoga_condition_get_member_count (HogaCondition *self)
{
  g_return_val_if_fail (HOGA_IS_CONDITION (self), 0);

  return g_hash_table_size (self->members);
}

gboolean
hoga_condition_has_member (HogaCondition *self,
                           const char    *code)
{
  g_return_val_if_fail (HOGA_IS_CONDITION (self), FALSE);
  g_return_val_if_fail (code != NULL, FALSE);

  return g_hash_table_contains (self->members, code);
}

/**
 * hoga_condition_dup_members:
 * @self: a #HogaCondition
 *
 * Returns: (transfer full): the member codes, sorted
 */
char **
hoga_condition_dup_members (HogaCondition *self)
{
  g_autoptr(GPtrArray) codes = NULL;
  GHashTableIter iter;
  gpointer code;

  g_return_val_if_fail (HOGA_IS_CONDITION (self), NULL);

  codes = g_ptr_array_new_full (g_hash_table_size (self->members) + 1, NULL);
  g_hash_table_iter_init (&iter, self->members);
  while (g_hash_table_iter_next (&iter, &code, NULL))
    g_ptr_array_add (codes, g_strdup (code));
  g_ptr_array_sort (codes, compare_codes);
  g_ptr_array_add (codes, NULL);

  return (char **) g_ptr_array_free (g_steal_pointer (&codes), FALSE);
}

/**
 * hoga_condition_add_member:
 * @self: a #HogaCondition
 * @code: a normalised stock code
 *
 * Returns: %TRUE when @code was not a member yet
 */
gboolean
hoga_condition_add_member (HogaCondition *self,
                           const char    *code)
{
  g_return_val_if_fail (HOGA_IS_CONDITION (self), FALSE);
  g_return_val_if_fail (code != NULL && *code != '\0', FALSE);

  if (g_hash_table_contains (self->members, code))
    return FALSE;

  g_hash_table_add (self->members, g_strdup (code));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMBER_COUNT]);
  return TRUE;
}

/**
 * hoga_condition_remove_member:
 * @self: a #HogaCondition
 * @code: a normalised stock code
 *
 * Returns: %TRUE when @code was a member
 */
gboolean
hoga_condition_remove_member (HogaCondition *self,
                              const char    *code)
{
  g_return_val_if_fail (HOGA_IS_CONDITION (self), FALSE);
  g_return_val_if_fail (code != NULL, FALSE);

  if (!g_hash_table_remove (self->members, code))
    return FALSE;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMBER_COUNT]);
  return TRUE;
}
