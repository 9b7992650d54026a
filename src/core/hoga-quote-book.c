/* hoga-quote-book.c — every live quote, as a list model, with each symbol's recent ticks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tick path is a hash lookup by code, a write into the quote and a write into a ring
 * buffer allocated with the symbol: nothing is allocated per tick once a symbol exists.
 * Ticks for codes that were never added are dropped rather than added, so a late tick
 * after an unsubscribe cannot bring a removed row back.
 */
#define G_LOG_DOMAIN "hoga-models"

#include "config.h"

#include "hoga-quote-book.h"

#define DEFAULT_HISTORY_SIZE 128
#define MAX_HISTORY_SIZE     65536

typedef struct {
  HogaQuote       *quote;
  guint            next;       /* the slot the next tick goes to */
  guint            count;      /* slots written, up to the history size */
  gint64           last_us;    /* received_us of the last tick, 0 before the first */
  HogaQuoteSample  samples[];
} Entry;

struct _HogaQuoteBook
{
  GObject     parent_instance;

  GPtrArray  *quotes;          /* HogaQuote, in list order */
  GHashTable *entries;         /* code (owned by the entry's quote) → Entry */
  guint       history_size;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HogaQuoteBook, hoga_quote_book, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_HISTORY_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
entry_free (Entry *entry)
{
  g_object_unref (entry->quote);
  g_free (entry);
}

static GType
hoga_quote_book_get_item_type (GListModel *model)
{
  return HOGA_TYPE_QUOTE;
}

static guint
hoga_quote_book_get_n_items (GListModel *model)
{
  return HOGA_QUOTE_BOOK (model)->quotes->len;
}

static gpointer
hoga_quote_book_get_item (GListModel *model,
                          guint       position)
{
  HogaQuoteBook *self = HOGA_QUOTE_BOOK (model);

  if (position >= self->quotes->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->quotes, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = hoga_quote_book_get_item_type;
  iface->get_n_items = hoga_quote_book_get_n_items;
  iface->get_item = hoga_quote_book_get_item;
}

static void
hoga_quote_book_finalize (GObject *object)
{
  HogaQuoteBook *self = HOGA_QUOTE_BOOK (object);

  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->quotes, g_ptr_array_unref);

  G_OBJECT_CLASS (hoga_quote_book_parent_class)->finalize (object);
}

static void
hoga_quote_book_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HogaQuoteBook *self = HOGA_QUOTE_BOOK (object);

  switch (prop_id)
    {
    case PROP_HISTORY_SIZE:
      g_value_set_uint (value, self->history_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hoga_quote_book_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  HogaQuoteBook *self = HOGA_QUOTE_BOOK (object);

  switch (prop_id)
    {
    case PROP_HISTORY_SIZE:
      self->history_size = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hoga_quote_book_class_init (HogaQuoteBookClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hoga_quote_book_finalize;
  object_class->get_property = hoga_quote_book_get_property;
  object_class->set_property = hoga_quote_book_set_property;

  properties[PROP_HISTORY_SIZE] =
    g_param_spec_uint ("history-size", NULL, NULL,
                       1, MAX_HISTORY_SIZE, DEFAULT_HISTORY_SIZE,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hoga_quote_book_init (HogaQuoteBook *self)
{
  self->history_size = DEFAULT_HISTORY_SIZE;
  self->quotes = g_ptr_array_new_with_free_func (g_object_unref);
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal,
                                         NULL, (GDestroyNotify) entry_free);
}

/**
 * hoga_quote_book_new:
 * @history_size: ticks kept per symbol, 0 for the default (128)
 *
 * Returns: (transfer full): a new, empty #HogaQuoteBook
 */
HogaQuoteBook *
hoga_quote_book_new (guint history_size)
{
  g_return_val_if_fail (history_size <= MAX_HISTORY_SIZE, NULL);

  return g_object_new (HOGA_TYPE_QUOTE_BOOK,
                       "history-size", history_size > 0 ? history_size : DEFAULT_HISTORY_SIZE,
                       NULL);
}

guint
hoga_quote_book_get_history_size (HogaQuoteBook *self)
{
  g_return_val_if_fail (HOGA_IS_QUOTE_BOOK (self), 0);

  return self->history_size;
}

/**
 * hoga_quote_book_add:
 * @self: a #HogaQuoteBook
 * @code: a normalised stock code
 * @name: (nullable): its name
 *
 * Appends a quote for @code, or returns the one already there (renamed when @name is given
 * and differs). Appending emits #GListModel::items-changed once.
 *
 * Returns: (transfer none): the quote for @code
 */
HogaQuote *
hoga_quote_book_add (HogaQuoteBook *self,
                     const char    *code,
                     const char    *name)
{
  Entry *entry;

  g_return_val_if_fail (HOGA_IS_QUOTE_BOOK (self), NULL);
  g_return_val_if_fail (code != NULL && *code != '\0', NULL);

  entry = g_hash_table_lookup (self->entries, code);
  if (entry != NULL)
    {
      if (name != NULL)
        hoga_quote_set_name (entry->quote, name);
      return entry->quote;
    }

  entry = g_malloc0 (sizeof (Entry) + self->history_size * sizeof (HogaQuoteSample));
  entry->quote = hoga_quote_new (code, name);
  g_hash_table_insert (self->entries, (gpointer) hoga_quote_get_code (entry->quote), entry);
  g_ptr_array_add (self->quotes, g_object_ref (entry->quote));

  g_list_model_items_changed (G_LIST_MODEL (self), self->quotes->len - 1, 0, 1);

  return entry->quote;
}

/**
 * hoga_quote_book_remove:
 * @self: a #HogaQuoteBook
 * @code: a stock code
 *
 * Removes the quote of @code and its history; later ticks for @code are dropped.
 *
 * Returns: %TRUE when there was one
 */
gboolean
hoga_quote_book_remove (HogaQuoteBook *self,
                        const char    *code)
{
  Entry *entry;
  guint position;

  g_return_val_if_fail (HOGA_IS_QUOTE_BOOK (self), FALSE);
  g_return_val_if_fail (code != NULL, FALSE);

  entry = g_hash_table_lookup (self->entries, code);
  if (entry == NULL)
    return FALSE;

  if (!g_ptr_array_find (self->quotes, entry->quote, &position))
    g_assert_not_reached ();

  g_ptr_array_remove_index (self->quotes, position);
  g_hash_table_remove (self->entries, code);

  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);

  return TRUE;
}

/**
 * hoga_quote_book_lookup:
 * @self: a #HogaQuoteBook
 * @code: a stock code
 *
 * Returns: (transfer none) (nullable): the quote of @code
 */
HogaQuote *
hoga_quote_book_lookup (HogaQuoteBook *self,
                        const char    *code)
{
  Entry *entry;

  g_return_val_if_fail (HOGA_IS_QUOTE_BOOK (self), NULL);
  g_return_val_if_fail (code != NULL, NULL);

  entry = g_hash_table_lookup (self->entries, code);
  return entry != NULL ? entry->quote : NULL;
}

/**
 * hoga_quote_book_apply_tick:
 * @self: a #HogaQuoteBook
 * @tick: a 0B tick
 *
 * Updates the quote of the tick's code (see hoga_quote_apply_tick()) and records the tick
 * in its history. Allocates nothing.
 *
 * Returns: (transfer none) (nullable): the updated quote, %NULL when the code is not in
 *   the book
 */
HogaQuote *
hoga_quote_book_apply_tick (HogaQuoteBook  *self,
                            const HogaTick *tick)
{
  HogaQuoteSample *sample;
  Entry *entry;

  g_return_val_if_fail (HOGA_IS_QUOTE_BOOK (self), NULL);
  g_return_val_if_fail (tick != NULL, NULL);

  entry = g_hash_table_lookup (self->entries, tick->code);
  if (entry == NULL)
    return NULL;

  sample = &entry->samples[entry->next];
  sample->price = tick->price;
  sample->volume = tick->volume;
  sample->received_us = tick->received_us;
  sample->hhmmss = tick->hhmmss;
  entry->next = (entry->next + 1) % self->history_size;
  if (entry->count < self->history_size)
    entry->count++;
  entry->last_us = tick->received_us;

  hoga_quote_apply_tick (entry->quote, tick);

  return entry->quote;
}

/**
 * hoga_quote_book_get_history:
 * @self: a #HogaQuoteBook
 * @code: a stock code
 * @samples: (out caller-allocates) (array length=n_samples): where to copy the ticks
 * @n_samples: room in @samples
 *
 * Copies the most recent ticks of @code, at most @n_samples of them, oldest first.
 *
 * Returns: the number of samples copied
 */
guint
hoga_quote_book_get_history (HogaQuoteBook   *self,
                             const char      *code,
                             HogaQuoteSample *samples,
                             guint            n_samples)
{
  Entry *entry;
  guint n;
  guint first;

  g_return_val_if_fail (HOGA_IS_QUOTE_BOOK (self), 0);
  g_return_val_if_fail (code != NULL, 0);
  g_return_val_if_fail (samples != NULL || n_samples == 0, 0);

  entry = g_hash_table_lookup (self->entries, code);
  if (entry == NULL)
    return 0;

  n = MIN (n_samples, entry->count);
  first = (entry->next + self->history_size - n) % self->history_size;
  for (guint i = 0; i < n; i++)
    samples[i] = entry->samples[(first + i) % self->history_size];

  return n;
}

/**
 * hoga_quote_book_get_age_us:
 * @self: a #HogaQuoteBook
 * @code: a stock code
 * @now_us: the current monotonic time, g_get_monotonic_time()
 *
 * How old the last tick of @code is. A code with no tick yet, or not in the book, is
 * infinitely old, so a staleness check of the form `age > limit` fails closed.
 *
 * Returns: @now_us minus the last tick's arrival time (0 when that lies in the future),
 *   or %G_MAXINT64 when there is no tick
 */
gint64
hoga_quote_book_get_age_us (HogaQuoteBook *self,
                            const char    *code,
                            gint64         now_us)
{
  Entry *entry;

  g_return_val_if_fail (HOGA_IS_QUOTE_BOOK (self), G_MAXINT64);
  g_return_val_if_fail (code != NULL, G_MAXINT64);

  entry = g_hash_table_lookup (self->entries, code);
  if (entry == NULL || entry->count == 0)
    return G_MAXINT64;

  return MAX (now_us - entry->last_us, 0);
}
