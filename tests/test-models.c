/* test-models.c — the core's live models: quote book, condition registry, account,
 * tracker; list-model signals, property notification and the allocation-free tick path
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "hoga-account.h"
#include "hoga-condition-registry.h"
#include "hoga-exit-rules.h"
#include "hoga-quote-book.h"
#include "hoga-tracker.h"

/* Counting allocations.
 *
 * glibc 2.34 removed __malloc_hook and GLib 2.46 made g_mem_set_vtable() a no-op, and
 * mallinfo2() only shows bytes in use: a tick that allocates and frees would leave it
 * unchanged. So the test program replaces malloc and its siblings with wrappers that count
 * and forward to glibc's own entry points (__libc_malloc & co., exported for exactly this).
 * The executable's definitions interpose on every library's calls (glib, gobject, libc's
 * internal ones), which glibc supports ("Replacing malloc" in its manual).
 *
 * GLib 2.74 still has the GSlice magazine allocator, which serves hash tables, lists and
 * notify queues from its own caches without calling malloc. G_SLICE=always-malloc, read
 * once at start-up, routes it through malloc too, so the counted tests run in a
 * subprocess started with it, and first check that both a g_malloc() and a g_slice_alloc()
 * are counted, so the method cannot pass by counting nothing.
 *
 * Sanitizers bring their own malloc; under them the counted tests are skipped. */
#if defined (__SANITIZE_ADDRESS__)
# define COUNT_ALLOCATIONS 0
#elif defined (__has_feature)
# if __has_feature (address_sanitizer) || __has_feature (memory_sanitizer)
#  define COUNT_ALLOCATIONS 0
# endif
#endif
#ifndef COUNT_ALLOCATIONS
# define COUNT_ALLOCATIONS 1
#endif

#define WARM_UP_TICKS   1000
#define COUNTED_TICKS 100000

#if COUNT_ALLOCATIONS
extern void *__libc_malloc (size_t size);
extern void *__libc_calloc (size_t n_members, size_t size);
extern void *__libc_realloc (void *ptr, size_t size);
extern void  __libc_free (void *ptr);
extern void *__libc_memalign (size_t alignment, size_t size);

/* Atomic: GLib may allocate from its worker threads. */
static gint n_allocations;

void *
malloc (size_t size)
{
  g_atomic_int_inc (&n_allocations);
  return __libc_malloc (size);
}

void *
calloc (size_t n_members,
        size_t size)
{
  g_atomic_int_inc (&n_allocations);
  return __libc_calloc (n_members, size);
}

void *
realloc (void   *ptr,
         size_t  size)
{
  g_atomic_int_inc (&n_allocations);
  return __libc_realloc (ptr, size);
}

void
free (void *ptr)
{
  __libc_free (ptr);
}

void *
memalign (size_t alignment,
          size_t size)
{
  g_atomic_int_inc (&n_allocations);
  return __libc_memalign (alignment, size);
}

void *
aligned_alloc (size_t alignment,
               size_t size)
{
  g_atomic_int_inc (&n_allocations);
  return __libc_memalign (alignment, size);
}

int
posix_memalign (void   **ptr,
                size_t   alignment,
                size_t   size)
{
  void *memory;

  if (alignment % sizeof (void *) != 0 || (alignment & (alignment - 1)) != 0)
    return EINVAL;

  g_atomic_int_inc (&n_allocations);
  memory = __libc_memalign (alignment, size);
  if (memory == NULL)
    return ENOMEM;

  *ptr = memory;
  return 0;
}
#endif

/* Runs the calling test again in a fresh process where GSlice goes through malloc. FALSE
 * in the parent (done) and TRUE in the child (measure). */
static gboolean
in_counting_subprocess (void)
{
#if COUNT_ALLOCATIONS
  if (g_test_subprocess ())
    {
      gint before;

      g_assert_cmpstr (g_getenv ("G_SLICE"), ==, "always-malloc");

      before = g_atomic_int_get (&n_allocations);
      g_free (g_malloc (64));
      g_assert_cmpint (g_atomic_int_get (&n_allocations), ==, before + 1);

      before = g_atomic_int_get (&n_allocations);
      g_slice_free1 (48, g_slice_alloc (48));
      g_assert_cmpint (g_atomic_int_get (&n_allocations), ==, before + 1);

      return TRUE;
    }

  g_setenv ("G_SLICE", "always-malloc", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
#else
  g_test_skip ("allocations are not counted under a sanitizer");
#endif
  return FALSE;
}

static gint
allocations_so_far (void)
{
#if COUNT_ALLOCATIONS
  return g_atomic_int_get (&n_allocations);
#else
  return 0;
#endif
}

/* Recording list-model changes and property notifications. */

typedef struct {
  guint position;
  guint removed;
  guint added;
} Change;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GArray     *changes)
{
  Change change = { position, removed, added };

  g_array_append_val (changes, change);
}

/* Declare the array before the model so that g_autoptr frees it after the model. */
static GArray *
record_changes (gpointer model)
{
  GArray *changes = g_array_new (FALSE, FALSE, sizeof (Change));

  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), changes);
  return changes;
}

static void
assert_change (GArray *changes,
               guint   index,
               guint   position,
               guint   removed,
               guint   added)
{
  const Change *change;

  g_assert_cmpuint (index, <, changes->len);
  change = &g_array_index (changes, Change, index);
  g_assert_cmpuint (change->position, ==, position);
  g_assert_cmpuint (change->removed, ==, removed);
  g_assert_cmpuint (change->added, ==, added);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 GHashTable *counts)
{
  const char *name = g_param_spec_get_name (pspec);
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, name));

  g_hash_table_insert (counts, (gpointer) name, GUINT_TO_POINTER (count + 1));
}

/* Names are the pspecs' static strings. Declare the table before the objects it watches. */
static GHashTable *
new_notify_counts (void)
{
  return g_hash_table_new (g_str_hash, g_str_equal);
}

static void
watch_notify (gpointer    object,
              GHashTable *counts)
{
  g_signal_connect (object, "notify", G_CALLBACK (count_notify_cb), counts);
}

static guint
notify_count (GHashTable *counts,
              const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (counts, name));
}

static guint
notify_total (GHashTable *counts)
{
  GHashTableIter iter;
  gpointer count;
  guint total = 0;

  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, NULL, &count))
    total += GPOINTER_TO_UINT (count);
  return total;
}

static HogaTick
make_tick (const char *code,
           gint64      price,
           gint64      cum_volume,
           gint64      received_us)
{
  HogaTick tick = { 0 };

  g_strlcpy (tick.code, code, sizeof tick.code);
  tick.received_us = received_us;
  tick.hhmmss = 93000;
  tick.sign = 2;
  tick.session = 2;
  tick.price = price;
  tick.change = price - 70000;
  tick.change_bp = (gint32) ((price - 70000) * 10000 / 70000);
  tick.volume = 10;
  tick.cum_volume = cum_volume;
  tick.open = 70100;
  tick.high = 72000;
  tick.low = 69500;
  tick.best_ask = price + 100;
  tick.best_bid = price;
  return tick;
}

/* Quote book */

static void
test_quote_book_add_and_remove (void)
{
  g_autoptr(GArray) changes = NULL;
  g_autoptr(HogaQuoteBook) book = hoga_quote_book_new (0);
  g_autoptr(HogaQuote) item = NULL;
  HogaQuote *samsung;
  HogaQuote *hynix;
  HogaTick tick = make_tick ("005930", 71000, 1000, 1);

  changes = record_changes (book);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (book)) == HOGA_TYPE_QUOTE);
  g_assert_cmpuint (hoga_quote_book_get_history_size (book), ==, 128);

  samsung = hoga_quote_book_add (book, "005930", "삼성전자");
  hynix = hoga_quote_book_add (book, "000660", "SK하이닉스");
  g_assert_cmpuint (changes->len, ==, 2);
  assert_change (changes, 0, 0, 0, 1);
  assert_change (changes, 1, 1, 0, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (book)), ==, 2);

  item = g_list_model_get_item (G_LIST_MODEL (book), 1);
  g_assert_true (item == hynix);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (book), 2));
  g_assert_true (hoga_quote_book_lookup (book, "005930") == samsung);
  g_assert_cmpstr (hoga_quote_get_code (samsung), ==, "005930");
  g_assert_cmpstr (hoga_quote_get_name (samsung), ==, "삼성전자");

  /* Adding a code again returns the same object and changes nothing in the list. */
  g_assert_true (hoga_quote_book_add (book, "005930", "삼성전자우") == samsung);
  g_assert_cmpstr (hoga_quote_get_name (samsung), ==, "삼성전자우");
  g_assert_cmpuint (changes->len, ==, 2);

  g_assert_true (hoga_quote_book_remove (book, "005930"));
  g_assert_cmpuint (changes->len, ==, 3);
  assert_change (changes, 2, 0, 1, 0);
  g_assert_null (hoga_quote_book_lookup (book, "005930"));
  g_assert_false (hoga_quote_book_remove (book, "005930"));

  /* A late tick for a removed code does not bring the row back. */
  g_assert_null (hoga_quote_book_apply_tick (book, &tick));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (book)), ==, 1);
  g_assert_cmpuint (changes->len, ==, 3);
}

typedef struct {
  HogaQuote *quote;
  gint64     expected_volume;
  gint64     expected_updated_us;
  guint      calls;
} PriceWatch;

/* A handler of one property sees the whole tick applied. */
static void
price_notify_cb (HogaQuote  *quote,
                 GParamSpec *pspec,
                 PriceWatch *watch)
{
  g_assert_true (quote == watch->quote);
  g_assert_cmpint (hoga_quote_get_volume (quote), ==, watch->expected_volume);
  g_assert_cmpint (hoga_quote_get_updated_us (quote), ==, watch->expected_updated_us);
  watch->calls++;
}

static void
test_quote_tick_notifies_changes_only (void)
{
  g_autoptr(GHashTable) counts = new_notify_counts ();
  g_autoptr(HogaQuoteBook) book = hoga_quote_book_new (16);
  HogaQuote *quote = hoga_quote_book_add (book, "005930", "삼성전자");
  PriceWatch watch = { quote, 0, 0, 0 };
  HogaTick tick = make_tick ("005930", 71000, 1000, 5000000);

  watch_notify (quote, counts);
  g_signal_connect (quote, "notify::price", G_CALLBACK (price_notify_cb), &watch);

  watch.expected_volume = 1000;
  watch.expected_updated_us = 5000000;
  g_assert_true (hoga_quote_book_apply_tick (book, &tick) == quote);
  g_assert_cmpint (hoga_quote_get_price (quote), ==, 71000);
  g_assert_cmpint (hoga_quote_get_change (quote), ==, 1000);
  g_assert_cmpint (hoga_quote_get_change_bp (quote), ==, 142);
  g_assert_cmpint (hoga_quote_get_volume (quote), ==, 1000);
  g_assert_cmpint (hoga_quote_get_open (quote), ==, 70100);
  g_assert_cmpint (hoga_quote_get_high (quote), ==, 72000);
  g_assert_cmpint (hoga_quote_get_low (quote), ==, 69500);
  g_assert_cmpint (hoga_quote_get_best_ask (quote), ==, 71100);
  g_assert_cmpint (hoga_quote_get_best_bid (quote), ==, 71000);
  g_assert_cmpint (hoga_quote_get_base_price (quote), ==, 70000);
  g_assert_cmpint (hoga_quote_get_updated_us (quote), ==, 5000000);
  /* Every property went from 0 to a value: one notification each. */
  g_assert_cmpuint (notify_total (counts), ==, 11);
  g_assert_cmpuint (notify_count (counts, "base-price"), ==, 1);
  g_assert_cmpuint (watch.calls, ==, 1);

  /* The next trade moves price, change, volume and time; the rest stays. */
  g_hash_table_remove_all (counts);
  tick.price = 71100;
  tick.change = 1100;
  tick.change_bp = 157;
  tick.cum_volume = 1010;
  tick.received_us = 5000100;
  tick.best_ask = 71200;
  tick.best_bid = 71100;
  watch.expected_volume = 1010;
  watch.expected_updated_us = 5000100;
  hoga_quote_book_apply_tick (book, &tick);
  g_assert_cmpuint (notify_count (counts, "price"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "change"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "change-bp"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "volume"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "best-ask"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "best-bid"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "updated-us"), ==, 1);
  g_assert_cmpuint (notify_total (counts), ==, 7);
  g_assert_cmpint (hoga_quote_get_base_price (quote), ==, 70000);
  g_assert_cmpuint (watch.calls, ==, 2);

  /* The same frame again changes nothing and notifies nothing. */
  g_hash_table_remove_all (counts);
  hoga_quote_book_apply_tick (book, &tick);
  g_assert_cmpuint (notify_total (counts), ==, 0);
  g_assert_cmpuint (watch.calls, ==, 2);
}

static void
test_quote_stock_info_is_not_fresh (void)
{
  g_autoptr(HogaQuoteBook) book = hoga_quote_book_new (0);
  HogaQuote *quote = hoga_quote_book_add (book, "005930", NULL);
  HogaStockInfo info = {
    .code = "005930", .name = "삼성전자", .price = 70500, .base_price = 70000,
    .open = 70100, .high = 70900, .low = 69800, .change = 500, .change_bp = 71,
    .volume = 123456,
  };

  hoga_quote_apply_stock_info (quote, &info);
  g_assert_cmpstr (hoga_quote_get_name (quote), ==, "삼성전자");
  g_assert_cmpint (hoga_quote_get_price (quote), ==, 70500);
  g_assert_cmpint (hoga_quote_get_base_price (quote), ==, 70000);
  g_assert_cmpint (hoga_quote_get_volume (quote), ==, 123456);
  /* A REST reply is not a live price: the staleness rule still sees no tick. */
  g_assert_cmpint (hoga_quote_get_updated_us (quote), ==, 0);
  g_assert_cmpint (hoga_quote_book_get_age_us (book, "005930", 1000000), ==, G_MAXINT64);
}

static void
test_quote_history_ring_wraps (void)
{
  g_autoptr(HogaQuoteBook) book = hoga_quote_book_new (4);
  HogaQuoteSample samples[8];
  guint n;

  hoga_quote_book_add (book, "005930", NULL);
  g_assert_cmpuint (hoga_quote_book_get_history (book, "005930", samples, 8), ==, 0);
  g_assert_cmpuint (hoga_quote_book_get_history (book, "000660", samples, 8), ==, 0);

  for (guint i = 1; i <= 3; i++)
    {
      HogaTick tick = make_tick ("005930", 70000 + i * 100, i * 10, i * 1000);

      hoga_quote_book_apply_tick (book, &tick);
    }
  n = hoga_quote_book_get_history (book, "005930", samples, 8);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpint (samples[0].price, ==, 70100);
  g_assert_cmpint (samples[2].price, ==, 70300);

  /* Six ticks into four slots: the two oldest are gone, order stays oldest first. */
  for (guint i = 4; i <= 6; i++)
    {
      HogaTick tick = make_tick ("005930", 70000 + i * 100, i * 10, i * 1000);

      tick.volume = -(gint64) i;
      hoga_quote_book_apply_tick (book, &tick);
    }
  n = hoga_quote_book_get_history (book, "005930", samples, 8);
  g_assert_cmpuint (n, ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_assert_cmpint (samples[i].price, ==, 70300 + i * 100);
      g_assert_cmpint (samples[i].received_us, ==, (3 + i) * 1000);
      g_assert_cmpuint (samples[i].hhmmss, ==, 93000);
    }
  g_assert_cmpint (samples[0].volume, ==, 10);
  g_assert_cmpint (samples[3].volume, ==, -6);

  /* Asking for fewer gives the newest ones. */
  n = hoga_quote_book_get_history (book, "005930", samples, 2);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (samples[0].price, ==, 70500);
  g_assert_cmpint (samples[1].price, ==, 70600);

  /* Many laps later the ring still holds exactly the last four. */
  for (guint i = 7; i <= 1003; i++)
    {
      HogaTick tick = make_tick ("005930", 60000 + i * 10, i * 10, i * 1000);

      hoga_quote_book_apply_tick (book, &tick);
    }
  n = hoga_quote_book_get_history (book, "005930", samples, 8);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpint (samples[0].price, ==, 60000 + 1000 * 10);
  g_assert_cmpint (samples[3].price, ==, 60000 + 1003 * 10);
}

static void
test_quote_staleness_age (void)
{
  g_autoptr(HogaQuoteBook) book = hoga_quote_book_new (0);
  HogaTick tick = make_tick ("005930", 71000, 1000, 10000000);

  /* No tick, or no such code, fails closed. */
  g_assert_cmpint (hoga_quote_book_get_age_us (book, "005930", 10000000), ==, G_MAXINT64);
  hoga_quote_book_add (book, "005930", NULL);
  g_assert_cmpint (hoga_quote_book_get_age_us (book, "005930", 10000000), ==, G_MAXINT64);

  hoga_quote_book_apply_tick (book, &tick);
  g_assert_cmpint (hoga_quote_book_get_age_us (book, "005930", 10000000), ==, 0);
  g_assert_cmpint (hoga_quote_book_get_age_us (book, "005930", 12500000), ==, 2500000);
  g_assert_cmpint (hoga_quote_book_get_age_us (book, "005930", 9000000), ==, 0);

  tick.received_us = 12000000;
  hoga_quote_book_apply_tick (book, &tick);
  g_assert_cmpint (hoga_quote_book_get_age_us (book, "005930", 12500000), ==, 500000);
  g_assert_cmpint (hoga_quote_book_get_age_us (book, "000660", 12500000), ==, G_MAXINT64);
}

static void
count_any_notify_cb (GObject    *object,
                     GParamSpec *pspec,
                     guint      *count)
{
  (*count)++;
}

static void
test_quote_book_no_allocation_per_tick (void)
{
  g_autoptr(HogaQuoteBook) book = NULL;
  HogaQuoteSample last;
  HogaQuote *quote;
  guint n_notifies = 0;
  guint n_price_notifies = 0;
  gint before;
  gint after;

  if (!in_counting_subprocess ())
    return;

  book = hoga_quote_book_new (256);
  quote = hoga_quote_book_add (book, "005930", "삼성전자");
  hoga_quote_book_add (book, "000660", "SK하이닉스");
  /* What a bound GtkColumnView cell does: a detailed handler and a generic one. */
  g_signal_connect (quote, "notify", G_CALLBACK (count_any_notify_cb), &n_notifies);
  g_signal_connect (quote, "notify::price", G_CALLBACK (count_any_notify_cb), &n_price_notifies);

  for (guint i = 0; i < WARM_UP_TICKS; i++)
    {
      HogaTick tick = make_tick (i % 2 ? "005930" : "000660", 70000 + (i % 40) * 100, i, i);

      hoga_quote_book_apply_tick (book, &tick);
    }

  n_notifies = 0;
  n_price_notifies = 0;
  before = allocations_so_far ();
  for (guint i = 0; i < COUNTED_TICKS; i++)
    {
      HogaTick tick = make_tick ("005930", 70000 + (i % 41) * 100, WARM_UP_TICKS + i,
                                 WARM_UP_TICKS + i);

      hoga_quote_book_apply_tick (book, &tick);
      g_assert_cmpint (hoga_quote_book_get_age_us (book, "005930", WARM_UP_TICKS + i), ==, 0);
    }
  after = allocations_so_far ();

  g_test_message ("%d allocations in %d ticks, %u notifications", after - before,
                  COUNTED_TICKS, n_notifies);
  g_assert_cmpint (after - before, ==, 0);

  /* The loop did the work: price moves every tick, so do volume and time. */
  g_assert_cmpuint (n_price_notifies, ==, COUNTED_TICKS);
  g_assert_cmpuint (n_notifies, >=, 6 * COUNTED_TICKS);
  g_assert_cmpuint (hoga_quote_book_get_history (book, "005930", &last, 1), ==, 1);
  g_assert_cmpint (last.price, ==, 70000 + ((COUNTED_TICKS - 1) % 41) * 100);
}

/* GLib 2.74 gives every g_object_freeze_notify() a freshly allocated queue: the reason the
 * models notify from a bit mask instead. This pins the fact the design rests on. */
static void
test_freeze_notify_allocates (void)
{
  g_autoptr(HogaQuote) quote = NULL;
  guint n_notifies = 0;
  gint before;
  gint after;

  if (!in_counting_subprocess ())
    return;

  quote = hoga_quote_new ("005930", NULL);
  g_signal_connect (quote, "notify", G_CALLBACK (count_any_notify_cb), &n_notifies);
  g_object_freeze_notify (G_OBJECT (quote));
  g_object_thaw_notify (G_OBJECT (quote));

  before = allocations_so_far ();
  for (guint i = 0; i < 1000; i++)
    {
      g_object_freeze_notify (G_OBJECT (quote));
      hoga_quote_set_name (quote, i % 2 ? "a" : "b");
      g_object_thaw_notify (G_OBJECT (quote));
    }
  after = allocations_so_far ();

  /* Two of them are the name strings themselves; the rest is the notify machinery. */
  g_test_message ("freeze/notify/thaw: %d allocations per round", (after - before) / 1000);
  g_assert_cmpint (after - before, >, 2 * 1000);
  g_assert_cmpuint (n_notifies, ==, 1000);
}

/* Condition registry */

static GPtrArray *
make_infos (const char *first_seq,
            ...)
{
  GPtrArray *infos = g_ptr_array_new_with_free_func (g_free);
  const char *seq = first_seq;
  va_list args;

  va_start (args, first_seq);
  while (seq != NULL)
    {
      HogaConditionInfo *info = g_new0 (HogaConditionInfo, 1);

      g_strlcpy (info->seq, seq, sizeof info->seq);
      g_strlcpy (info->name, va_arg (args, const char *), sizeof info->name);
      g_ptr_array_add (infos, info);
      seq = va_arg (args, const char *);
    }
  va_end (args);

  return infos;
}

static HogaConditionEvent
make_event (const char *seq,
            const char *code,
            gboolean    inserted)
{
  HogaConditionEvent event = { 0 };

  g_strlcpy (event.seq, seq, sizeof event.seq);
  g_strlcpy (event.code, code, sizeof event.code);
  event.inserted = inserted;
  event.hhmmss = 93001;
  return event;
}

static void
test_condition_registry_keeps_objects (void)
{
  g_autoptr(GHashTable) counts = new_notify_counts ();
  g_autoptr(GArray) changes = NULL;
  g_autoptr(HogaConditionRegistry) registry = hoga_condition_registry_new ();
  g_autoptr(GPtrArray) first = make_infos ("0", "급등주", "1", "거래량 급증", "2", "골든크로스", NULL);
  g_autoptr(GPtrArray) renamed = make_infos ("0", "급등주", "1", "거래량 폭증", "2", "골든크로스", NULL);
  g_autoptr(GPtrArray) reordered = make_infos ("0", "급등주", "5", "신고가", "2", "골든크로스", NULL);
  g_autoptr(HogaCondition) dropped = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HogaCondition) item = NULL;
  g_autoptr(HogaCondition) c2 = NULL;
  HogaCondition *c0;

  changes = record_changes (registry);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (registry)) == HOGA_TYPE_CONDITION);

  hoga_condition_registry_set_conditions (registry, first);
  g_assert_cmpuint (changes->len, ==, 1);
  assert_change (changes, 0, 0, 0, 3);
  c0 = hoga_condition_registry_lookup (registry, "0");
  dropped = g_object_ref (hoga_condition_registry_lookup (registry, "1"));
  c2 = g_object_ref (hoga_condition_registry_lookup (registry, "2"));
  g_assert_cmpstr (hoga_condition_get_name (dropped), ==, "거래량 급증");
  g_assert_true (hoga_condition_registry_lookup_by_name (registry, "골든크로스") == c2);
  g_assert_null (hoga_condition_registry_lookup_by_name (registry, "없음"));

  g_assert_true (hoga_condition_registry_set_active (registry, "2", TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (hoga_condition_registry_set_active (registry, "1", TRUE, &error));
  g_assert_true (hoga_condition_add_member (c2, "005930"));
  g_assert_cmpuint (hoga_condition_registry_get_n_active (registry), ==, 2);
  watch_notify (c0, counts);
  watch_notify (dropped, counts);
  watch_notify (c2, counts);
  watch_notify (registry, counts);

  /* Same seqs in the same order after a reconnect: same objects, no list change; only the
   * renamed one notifies. */
  hoga_condition_registry_set_conditions (registry, renamed);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_true (hoga_condition_registry_lookup (registry, "0") == c0);
  g_assert_true (hoga_condition_registry_lookup (registry, "1") == dropped);
  g_assert_cmpstr (hoga_condition_get_name (dropped), ==, "거래량 폭증");
  g_assert_cmpuint (notify_total (counts), ==, 1);
  g_assert_cmpuint (notify_count (counts, "name"), ==, 1);

  /* One seq replaced in the middle: one change for just that span, the others keep
   * their objects, activation and members; the dropped one is deactivated. */
  g_hash_table_remove_all (counts);
  hoga_condition_registry_set_conditions (registry, reordered);
  g_assert_cmpuint (changes->len, ==, 2);
  assert_change (changes, 1, 1, 1, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 3);
  item = g_list_model_get_item (G_LIST_MODEL (registry), 0);
  g_assert_true (item == c0);
  g_assert_true (hoga_condition_registry_lookup (registry, "2") == c2);
  g_assert_true (hoga_condition_get_active (c2));
  g_assert_true (hoga_condition_has_member (c2, "005930"));
  g_assert_null (hoga_condition_registry_lookup (registry, "1"));
  g_assert_false (hoga_condition_get_active (dropped));
  g_assert_cmpstr (hoga_condition_get_name (hoga_condition_registry_lookup (registry, "5")),
                   ==, "신고가");
  g_assert_cmpuint (hoga_condition_registry_get_n_active (registry), ==, 1);
  g_assert_cmpuint (notify_count (counts, "active"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "n-active"), ==, 1);
  g_assert_cmpuint (notify_total (counts), ==, 2);

  /* An empty list removes everything at once; an object still referenced elsewhere
   * (a drop-down's selection) is left inactive. */
  g_clear_object (&item);
  hoga_condition_registry_set_conditions (registry, NULL);
  g_assert_cmpuint (changes->len, ==, 3);
  assert_change (changes, 2, 0, 3, 0);
  g_assert_false (hoga_condition_get_active (c2));
  g_assert_cmpuint (hoga_condition_registry_get_n_active (registry), ==, 0);
}

static void
test_condition_membership_idempotent (void)
{
  g_autoptr(GHashTable) counts = new_notify_counts ();
  g_autoptr(HogaConditionRegistry) registry = hoga_condition_registry_new ();
  g_autoptr(GPtrArray) infos = make_infos ("3", "돌파", "4", "눌림목", NULL);
  g_auto(GStrv) members = NULL;
  HogaConditionEvent event;
  HogaCondition *condition;

  hoga_condition_registry_set_conditions (registry, infos);
  condition = hoga_condition_registry_lookup (registry, "3");
  g_assert_true (hoga_condition_registry_set_active (registry, "3", TRUE, NULL));
  watch_notify (condition, counts);

  event = make_event ("3", "005930", TRUE);
  g_assert_true (hoga_condition_registry_apply_event (registry, &event));
  g_assert_cmpuint (hoga_condition_get_member_count (condition), ==, 1);
  g_assert_cmpuint (notify_count (counts, "member-count"), ==, 1);

  /* I for a member and D for a non-member change nothing and notify nothing. */
  g_assert_false (hoga_condition_registry_apply_event (registry, &event));
  event = make_event ("3", "000660", FALSE);
  g_assert_false (hoga_condition_registry_apply_event (registry, &event));
  g_assert_cmpuint (hoga_condition_get_member_count (condition), ==, 1);
  g_assert_cmpuint (notify_count (counts, "member-count"), ==, 1);

  event = make_event ("3", "000660", TRUE);
  g_assert_true (hoga_condition_registry_apply_event (registry, &event));
  members = hoga_condition_dup_members (condition);
  g_assert_cmpuint (g_strv_length (members), ==, 2);
  g_assert_cmpstr (members[0], ==, "000660");
  g_assert_cmpstr (members[1], ==, "005930");
  g_assert_true (hoga_condition_registry_is_member (registry, "3", "000660"));
  g_assert_false (hoga_condition_registry_is_member (registry, "4", "000660"));

  event = make_event ("3", "005930", FALSE);
  g_assert_true (hoga_condition_registry_apply_event (registry, &event));
  g_assert_false (hoga_condition_registry_apply_event (registry, &event));
  g_assert_cmpuint (hoga_condition_get_member_count (condition), ==, 1);
  g_assert_cmpuint (notify_count (counts, "member-count"), ==, 3);

  /* Events for a condition not running, or unknown, are ignored. */
  event = make_event ("4", "005930", TRUE);
  g_assert_false (hoga_condition_registry_apply_event (registry, &event));
  g_assert_cmpuint (hoga_condition_get_member_count (hoga_condition_registry_lookup (registry, "4")),
                    ==, 0);
  event = make_event ("9", "005930", TRUE);
  g_assert_false (hoga_condition_registry_apply_event (registry, &event));

  /* Stopping a condition forgets its members: nobody reports who leaves any more. */
  g_assert_true (hoga_condition_registry_set_active (registry, "3", FALSE, NULL));
  g_assert_cmpuint (hoga_condition_get_member_count (condition), ==, 0);
  g_assert_cmpuint (notify_count (counts, "member-count"), ==, 4);
  g_assert_cmpuint (notify_count (counts, "active"), ==, 1);
}

static void
assert_event (GArray     *events,
              guint       index,
              const char *code,
              gboolean    inserted)
{
  const HogaConditionEvent *event;

  g_assert_cmpuint (index, <, events->len);
  event = &g_array_index (events, HogaConditionEvent, index);
  g_assert_cmpstr (event->seq, ==, "7");
  g_assert_cmpstr (event->code, ==, code);
  g_assert_cmpint (event->inserted, ==, inserted);
  g_assert_true (event->from_snapshot);
  g_assert_cmpint (event->received_us, >, 0);
}

static void
test_condition_snapshot_diff (void)
{
  static const char * const first[] = { "005930", "000660", "035420", NULL };
  static const char * const second[] = { "000660", "035420", "051910", "005380", "000660", NULL };
  g_autoptr(GHashTable) counts = new_notify_counts ();
  g_autoptr(HogaConditionRegistry) registry = hoga_condition_registry_new ();
  g_autoptr(GPtrArray) infos = make_infos ("7", "스캘핑", "8", "종가베팅", NULL);
  g_autoptr(GArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) members = NULL;
  HogaCondition *condition;

  hoga_condition_registry_set_conditions (registry, infos);
  condition = hoga_condition_registry_lookup (registry, "7");
  g_assert_true (hoga_condition_registry_set_active (registry, "7", TRUE, NULL));
  watch_notify (condition, counts);

  /* The first snapshot after activation: everyone entered. */
  events = hoga_condition_registry_set_snapshot (registry, "7", first, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 3);
  assert_event (events, 0, "005930", TRUE);
  assert_event (events, 1, "000660", TRUE);
  assert_event (events, 2, "035420", TRUE);
  g_assert_cmpuint (notify_count (counts, "member-count"), ==, 1);
  g_clear_pointer (&events, g_array_unref);

  /* After a reconnect: who left (sorted), then who entered (in snapshot order); a code
   * listed twice counts once. */
  events = hoga_condition_registry_set_snapshot (registry, "7", second, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 3);
  assert_event (events, 0, "005930", FALSE);
  assert_event (events, 1, "051910", TRUE);
  assert_event (events, 2, "005380", TRUE);
  g_assert_cmpuint (notify_count (counts, "member-count"), ==, 2);
  members = hoga_condition_dup_members (condition);
  g_assert_cmpuint (g_strv_length (members), ==, 4);
  g_assert_cmpstr (members[0], ==, "000660");
  g_assert_cmpstr (members[3], ==, "051910");
  g_clear_pointer (&events, g_array_unref);

  /* The same snapshot again: no difference, no notification. */
  events = hoga_condition_registry_set_snapshot (registry, "7", second, &error);
  g_assert_cmpuint (events->len, ==, 0);
  g_assert_cmpuint (notify_count (counts, "member-count"), ==, 2);
  g_clear_pointer (&events, g_array_unref);

  /* An empty snapshot: everyone left. */
  events = hoga_condition_registry_set_snapshot (registry, "7", NULL, &error);
  g_assert_cmpuint (events->len, ==, 4);
  assert_event (events, 0, "000660", FALSE);
  assert_event (events, 3, "051910", FALSE);
  g_assert_cmpuint (hoga_condition_get_member_count (condition), ==, 0);
  g_clear_pointer (&events, g_array_unref);

  events = hoga_condition_registry_set_snapshot (registry, "8", first, &error);
  g_assert_error (error, HOGA_CONDITION_REGISTRY_ERROR, HOGA_CONDITION_REGISTRY_ERROR_NOT_ACTIVE);
  g_assert_null (events);
  g_clear_error (&error);
  events = hoga_condition_registry_set_snapshot (registry, "99", first, &error);
  g_assert_error (error, HOGA_CONDITION_REGISTRY_ERROR, HOGA_CONDITION_REGISTRY_ERROR_UNKNOWN);
  g_assert_null (events);
}

static void
test_condition_active_limit (void)
{
  g_autoptr(GHashTable) counts = new_notify_counts ();
  g_autoptr(HogaConditionRegistry) registry = hoga_condition_registry_new ();
  g_autoptr(GPtrArray) infos = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) active = NULL;

  for (guint i = 0; i < 12; i++)
    {
      HogaConditionInfo *info = g_new0 (HogaConditionInfo, 1);

      g_snprintf (info->seq, sizeof info->seq, "%u", i);
      g_snprintf (info->name, sizeof info->name, "조건 %u", i);
      g_ptr_array_add (infos, info);
    }
  hoga_condition_registry_set_conditions (registry, infos);
  watch_notify (registry, counts);
  g_assert_cmpuint (hoga_condition_registry_get_max_active (registry), ==, 10);

  for (guint i = 0; i < 10; i++)
    {
      char seq[4];

      g_snprintf (seq, sizeof seq, "%u", i);
      g_assert_true (hoga_condition_registry_set_active (registry, seq, TRUE, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (hoga_condition_registry_get_n_active (registry), ==, 10);
  g_assert_cmpuint (notify_count (counts, "n-active"), ==, 10);

  g_assert_false (hoga_condition_registry_set_active (registry, "10", TRUE, &error));
  g_assert_error (error, HOGA_CONDITION_REGISTRY_ERROR, HOGA_CONDITION_REGISTRY_ERROR_LIMIT);
  g_assert_nonnull (strstr (error->message, "조건 10"));
  g_assert_nonnull (strstr (error->message, "10"));
  g_clear_error (&error);
  g_assert_false (hoga_condition_get_active (hoga_condition_registry_lookup (registry, "10")));
  g_assert_cmpuint (notify_count (counts, "n-active"), ==, 10);

  /* Asking again for one already running is not one more. */
  g_assert_true (hoga_condition_registry_set_active (registry, "3", TRUE, &error));
  g_assert_no_error (error);

  g_assert_false (hoga_condition_registry_set_active (registry, "42", TRUE, &error));
  g_assert_error (error, HOGA_CONDITION_REGISTRY_ERROR, HOGA_CONDITION_REGISTRY_ERROR_UNKNOWN);
  g_clear_error (&error);

  g_assert_true (hoga_condition_registry_set_active (registry, "3", FALSE, &error));
  g_assert_true (hoga_condition_registry_set_active (registry, "10", TRUE, &error));
  g_assert_no_error (error);
  g_assert_false (hoga_condition_registry_set_active (registry, "11", TRUE, &error));
  g_clear_error (&error);

  /* The limit is configurable. */
  hoga_condition_registry_set_max_active (registry, 11);
  g_assert_cmpuint (notify_count (counts, "max-active"), ==, 1);
  g_assert_true (hoga_condition_registry_set_active (registry, "11", TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hoga_condition_registry_get_n_active (registry), ==, 11);

  active = hoga_condition_registry_dup_active_seqs (registry);
  g_assert_cmpuint (g_strv_length (active), ==, 11);
  g_assert_cmpstr (active[2], ==, "2");
  g_assert_cmpstr (active[3], ==, "4");
  g_assert_cmpstr (active[10], ==, "11");
}

/* Account */

static HogaHoldingInfo
make_holding (const char *code,
              const char *name,
              gint64      qty,
              gint64      avg_price,
              gint64      price,
              gint64      purchase_amount)
{
  HogaHoldingInfo holding = { 0 };

  g_strlcpy (holding.code, code, sizeof holding.code);
  g_strlcpy (holding.name, name, sizeof holding.name);
  holding.qty = qty;
  holding.sellable_qty = qty;
  holding.avg_price = avg_price;
  holding.price = price;
  holding.purchase_amount = purchase_amount;
  /* The broker's valuation, net of costs: the account derives its own instead. */
  holding.eval_amount = price * qty - 1234;
  holding.pnl = holding.eval_amount - purchase_amount;
  holding.profit_bp = 1;
  return holding;
}

static HogaBalance *
make_balance (guint n_holdings,
              ...)
{
  HogaBalance *balance = g_new0 (HogaBalance, 1);
  va_list args;

  balance->holdings = g_array_new (FALSE, TRUE, sizeof (HogaHoldingInfo));
  va_start (args, n_holdings);
  for (guint i = 0; i < n_holdings; i++)
    {
      HogaHoldingInfo holding = va_arg (args, HogaHoldingInfo);

      g_array_append_val (balance->holdings, holding);
    }
  va_end (args);
  return balance;
}

static void
test_account_totals_integer_krw (void)
{
  g_autoptr(GHashTable) counts = new_notify_counts ();
  g_autoptr(GArray) changes = NULL;
  g_autoptr(HogaAccount) account = hoga_account_new ();
  g_autoptr(HogaBalance) balance = NULL;
  HogaDeposit deposit = { .cash = 10000000, .orderable = 9500000, .withdrawable = 9000000 };
  HogaHolding *a;
  HogaHolding *b;
  HogaTick tick;

  changes = record_changes (account);
  watch_notify (account, counts);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (account)) == HOGA_TYPE_HOLDING);

  balance = make_balance (2,
                          make_holding ("005930", "삼성전자", 10, 70100, 71000, 701000),
                          make_holding ("000660", "SK하이닉스", 3, 33333, 33000, 99999));
  hoga_account_replace_holdings (account, balance);
  g_assert_cmpuint (changes->len, ==, 1);
  assert_change (changes, 0, 0, 0, 2);

  a = hoga_account_lookup (account, "005930");
  b = hoga_account_lookup (account, "000660");
  g_assert_cmpint (hoga_holding_get_qty (a), ==, 10);
  g_assert_cmpint (hoga_holding_get_sellable_qty (a), ==, 10);
  g_assert_cmpint (hoga_holding_get_avg_price (a), ==, 70100);
  g_assert_cmpint (hoga_holding_get_eval_amount (a), ==, 710000);
  g_assert_cmpint (hoga_holding_get_pnl (a), ==, 9000);
  g_assert_cmpint (hoga_holding_get_profit_bp (a), ==, 128);       /* 128.38 */
  g_assert_cmpint (hoga_holding_get_eval_amount (b), ==, 99000);
  g_assert_cmpint (hoga_holding_get_pnl (b), ==, -999);
  g_assert_cmpint (hoga_holding_get_profit_bp (b), ==, -99);       /* -99.90 */

  g_assert_cmpint (hoga_account_get_total_purchase (account), ==, 800999);
  g_assert_cmpint (hoga_account_get_total_eval (account), ==, 809000);
  g_assert_cmpint (hoga_account_get_total_pnl (account), ==, 8001);
  g_assert_cmpint (hoga_account_get_return_bp (account), ==, 99);       /* 99.89 */
  g_assert_cmpuint (notify_count (counts, "total-purchase"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "return-bp"), ==, 1);

  hoga_account_set_deposit (account, &deposit);
  g_assert_cmpint (hoga_account_get_cash (account), ==, 10000000);
  g_assert_cmpint (hoga_account_get_orderable (account), ==, 9500000);
  g_assert_cmpuint (notify_count (counts, "cash"), ==, 1);
  hoga_account_set_deposit (account, &deposit);
  g_assert_cmpuint (notify_count (counts, "cash"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "orderable"), ==, 1);

  /* A tick revalues the row and the totals; the purchase side does not move. */
  g_hash_table_remove_all (counts);
  tick = make_tick ("005930", 72000, 5000, 1);
  g_assert_true (hoga_account_apply_tick (account, &tick));
  g_assert_cmpint (hoga_holding_get_price (a), ==, 72000);
  g_assert_cmpint (hoga_holding_get_pnl (a), ==, 19000);
  g_assert_cmpint (hoga_holding_get_profit_bp (a), ==, 271);
  g_assert_cmpint (hoga_account_get_total_eval (account), ==, 819000);
  g_assert_cmpint (hoga_account_get_total_pnl (account), ==, 18001);
  g_assert_cmpint (hoga_account_get_return_bp (account), ==, 224);
  g_assert_cmpuint (notify_count (counts, "total-purchase"), ==, 0);
  g_assert_cmpuint (notify_count (counts, "total-eval"), ==, 1);
  g_assert_cmpuint (notify_total (counts), ==, 3);
  tick = make_tick ("035420", 200000, 5000, 1);
  g_assert_false (hoga_account_apply_tick (account, &tick));
  g_assert_cmpuint (changes->len, ==, 1);
}

static void
test_account_replace_keeps_objects (void)
{
  g_autoptr(GHashTable) counts = new_notify_counts ();
  g_autoptr(GArray) changes = NULL;
  g_autoptr(HogaAccount) account = hoga_account_new ();
  g_autoptr(HogaBalance) first = NULL;
  g_autoptr(HogaBalance) second = NULL;
  g_autoptr(HogaHolding) item = NULL;
  HogaHolding *a;
  HogaHolding *c;

  changes = record_changes (account);
  first = make_balance (3,
                        make_holding ("005930", "삼성전자", 10, 70000, 70000, 700000),
                        make_holding ("000660", "SK하이닉스", 3, 100000, 100000, 300000),
                        make_holding ("035420", "NAVER", 1, 200000, 200000, 200000));
  hoga_account_replace_holdings (account, first);
  a = hoga_account_lookup (account, "005930");
  hoga_holding_set_tracked (a, TRUE);
  watch_notify (a, counts);

  /* SK하이닉스 sold elsewhere, LG화학 bought, 삼성전자 partly sold, a zero row ignored. */
  second = make_balance (4,
                         make_holding ("005930", "삼성전자", 4, 70000, 70000, 0),
                         make_holding ("035420", "NAVER", 1, 200000, 200000, 200000),
                         make_holding ("051910", "LG화학", 2, 300000, 300000, 600000),
                         make_holding ("005380", "현대차", 0, 0, 200000, 0));
  hoga_account_replace_holdings (account, second);

  g_assert_cmpuint (changes->len, ==, 3);
  assert_change (changes, 1, 1, 1, 0);
  assert_change (changes, 2, 2, 0, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (account)), ==, 3);
  g_assert_true (hoga_account_lookup (account, "005930") == a);
  g_assert_null (hoga_account_lookup (account, "000660"));
  g_assert_null (hoga_account_lookup (account, "005380"));
  c = hoga_account_lookup (account, "051910");
  item = g_list_model_get_item (G_LIST_MODEL (account), 2);
  g_assert_true (item == c);

  /* Kept in place, engine flags untouched; purchase amount 0 means avg × qty. */
  g_assert_true (hoga_holding_get_tracked (a));
  g_assert_false (hoga_holding_get_external (a));
  g_assert_cmpint (hoga_holding_get_qty (a), ==, 4);
  g_assert_cmpint (hoga_holding_get_purchase_amount (a), ==, 280000);
  g_assert_cmpint (hoga_holding_get_eval_amount (a), ==, 280000);
  g_assert_cmpuint (notify_count (counts, "qty"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "sellable-qty"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "purchase-amount"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "eval-amount"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "pnl"), ==, 0);
  g_assert_cmpuint (notify_count (counts, "name"), ==, 0);
  g_assert_cmpuint (notify_total (counts), ==, 4);

  g_assert_cmpint (hoga_account_get_total_purchase (account), ==, 280000 + 200000 + 600000);
  g_assert_cmpint (hoga_account_get_total_pnl (account), ==, 0);
}

static HogaBalanceEvent
make_balance_event (const char *code,
                    gint64      qty,
                    gint64      avg_price,
                    gint64      price,
                    gint64      realized_pnl)
{
  HogaBalanceEvent event = { 0 };

  g_strlcpy (event.code, code, sizeof event.code);
  g_strlcpy (event.name, "종목", sizeof event.name);
  event.qty = qty;
  event.sellable_qty = qty;
  event.avg_price = avg_price;
  event.purchase_amount = avg_price * qty;
  event.price = price;
  event.realized_pnl = realized_pnl;
  event.profit_bp = 0;
  return event;
}

static void
test_account_balance_event_qty_zero_removes (void)
{
  g_autoptr(GHashTable) counts = new_notify_counts ();
  g_autoptr(GArray) changes = NULL;
  g_autoptr(HogaAccount) account = hoga_account_new ();
  g_autoptr(HogaBalance) balance = NULL;
  g_autoptr(HogaHolding) kept = NULL;
  HogaBalanceEvent event;
  HogaHolding *item;

  changes = record_changes (account);
  balance = make_balance (2,
                          make_holding ("005930", "삼성전자", 10, 70000, 71000, 700000),
                          make_holding ("000660", "SK하이닉스", 5, 100000, 99000, 500000));
  hoga_account_replace_holdings (account, balance);
  watch_notify (account, counts);
  kept = g_object_ref (hoga_account_lookup (account, "005930"));

  /* A new buy fill appends a row. */
  event = make_balance_event ("035420", 2, 200000, 201000, 0);
  hoga_account_apply_balance_event (account, &event);
  g_assert_cmpuint (changes->len, ==, 2);
  assert_change (changes, 1, 2, 0, 1);
  item = hoga_account_lookup (account, "035420");
  g_assert_cmpstr (hoga_holding_get_name (item), ==, "종목");
  g_assert_cmpint (hoga_holding_get_eval_amount (item), ==, 402000);
  g_assert_cmpint (hoga_account_get_total_purchase (account), ==, 700000 + 500000 + 400000);
  g_assert_cmpint (hoga_account_get_total_eval (account), ==, 710000 + 495000 + 402000);

  /* Sold out: the row goes. */
  event = make_balance_event ("005930", 0, 70000, 72000, 20000);
  hoga_account_apply_balance_event (account, &event);
  g_assert_cmpuint (changes->len, ==, 3);
  assert_change (changes, 2, 0, 1, 0);
  g_assert_null (hoga_account_lookup (account, "005930"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (account)), ==, 2);
  g_assert_cmpint (hoga_account_get_total_purchase (account), ==, 500000 + 400000);
  g_assert_cmpint (hoga_account_get_total_eval (account), ==, 495000 + 402000);
  g_assert_cmpint (hoga_account_get_total_pnl (account), ==, -3000);
  g_assert_cmpint (hoga_account_get_return_bp (account), ==, -33);      /* -33.33 */
  /* FID 990 is not the account's realized figure: the engine sets that one, net. */
  g_assert_cmpint (hoga_account_get_realized_today (account), ==, 0);

  /* Partly sold at a loss. */
  event = make_balance_event ("000660", 2, 100000, 98000, -4000);
  hoga_account_apply_balance_event (account, &event);
  g_assert_cmpuint (changes->len, ==, 3);
  g_assert_cmpint (hoga_holding_get_qty (hoga_account_lookup (account, "000660")), ==, 2);
  g_assert_cmpuint (notify_count (counts, "realized-today"), ==, 0);
  /* The same figures again change nothing. */
  g_hash_table_remove_all (counts);
  hoga_account_apply_balance_event (account, &event);
  g_assert_cmpuint (notify_total (counts), ==, 0);

  /* A second 0 for a code already gone is harmless. */
  event = make_balance_event ("005930", 0, 0, 72000, 20000);
  hoga_account_apply_balance_event (account, &event);
  g_assert_cmpuint (changes->len, ==, 3);

  hoga_account_set_realized_today (account, 16000 - 3120);
  g_assert_cmpint (hoga_account_get_realized_today (account), ==, 12880);
  g_assert_cmpuint (notify_count (counts, "realized-today"), ==, 1);
  hoga_account_set_realized_today (account, 12880);
  g_assert_cmpuint (notify_count (counts, "realized-today"), ==, 1);

  hoga_account_reset_day (account);
  g_assert_cmpint (hoga_account_get_realized_today (account), ==, 0);
  g_assert_cmpuint (notify_count (counts, "realized-today"), ==, 2);
}

static void
test_account_no_allocation_per_tick (void)
{
  g_autoptr(HogaAccount) account = NULL;
  g_autoptr(HogaBalance) balance = NULL;
  guint n_notifies = 0;
  gint before;
  gint after;

  if (!in_counting_subprocess ())
    return;

  account = hoga_account_new ();
  balance = make_balance (2,
                          make_holding ("005930", "삼성전자", 10, 70000, 71000, 700000),
                          make_holding ("000660", "SK하이닉스", 5, 100000, 99000, 500000));
  hoga_account_replace_holdings (account, balance);
  g_signal_connect (account, "notify", G_CALLBACK (count_any_notify_cb), &n_notifies);
  g_signal_connect (hoga_account_lookup (account, "005930"), "notify",
                    G_CALLBACK (count_any_notify_cb), &n_notifies);

  for (guint i = 0; i < WARM_UP_TICKS; i++)
    {
      HogaTick tick = make_tick ("005930", 70000 + (i % 40) * 100, i, i);

      hoga_account_apply_tick (account, &tick);
    }

  n_notifies = 0;
  before = allocations_so_far ();
  for (guint i = 0; i < COUNTED_TICKS; i++)
    {
      HogaTick tick = make_tick ("005930", 70000 + (i % 41) * 100, i, i);

      hoga_account_apply_tick (account, &tick);
    }
  after = allocations_so_far ();

  g_test_message ("%d allocations in %d ticks, %u notifications", after - before,
                  COUNTED_TICKS, n_notifies);
  g_assert_cmpint (after - before, ==, 0);
  g_assert_cmpuint (n_notifies, >=, 4 * COUNTED_TICKS);
}

/* Tracker */

static void
test_tracker_add_remove_lookup (void)
{
  g_autoptr(GArray) changes = NULL;
  g_autoptr(HogaTracker) tracker = hoga_tracker_new ();
  g_autoptr(HogaPosition) samsung = hoga_position_new ("005930", "삼성전자", 1732150800000000);
  g_autoptr(HogaPosition) hynix = hoga_position_new ("000660", "SK하이닉스", 1732150860000000);
  g_autoptr(HogaPosition) again = hoga_position_new ("005930", "삼성전자", 1732150900000000);
  g_autoptr(HogaPosition) item = NULL;
  HogaTick tick;

  changes = record_changes (tracker);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (tracker)) == HOGA_TYPE_POSITION);

  g_assert_true (hoga_tracker_add (tracker, samsung));
  g_assert_true (hoga_tracker_add (tracker, hynix));
  g_assert_cmpuint (changes->len, ==, 2);
  assert_change (changes, 0, 0, 0, 1);
  assert_change (changes, 1, 1, 0, 1);

  /* One position per code. */
  g_assert_false (hoga_tracker_add (tracker, again));
  g_assert_cmpuint (changes->len, ==, 2);
  g_assert_true (hoga_tracker_lookup (tracker, "005930") == samsung);
  g_assert_true (hoga_tracker_lookup (tracker, "000660") == hynix);
  g_assert_null (hoga_tracker_lookup (tracker, "035420"));
  g_assert_cmpint (hoga_position_get_entered_at (samsung), ==, 1732150800000000);
  g_assert_cmpint (hoga_position_get_state (samsung), ==, HOGA_POSITION_STATE_WAITING_FILL);
  g_assert_cmpint (hoga_position_get_exit_reason (samsung), ==, HOGA_EXIT_REASON_NONE);

  tick = make_tick ("000660", 101000, 10, 1);
  g_assert_true (hoga_tracker_apply_tick (tracker, &tick) == hynix);
  g_assert_cmpint (hoga_position_get_price (hynix), ==, 101000);
  tick = make_tick ("035420", 200000, 10, 1);
  g_assert_null (hoga_tracker_apply_tick (tracker, &tick));

  g_assert_true (hoga_tracker_remove (tracker, "005930"));
  g_assert_cmpuint (changes->len, ==, 3);
  assert_change (changes, 2, 0, 1, 0);
  g_assert_null (hoga_tracker_lookup (tracker, "005930"));
  g_assert_false (hoga_tracker_remove (tracker, "005930"));
  item = g_list_model_get_item (G_LIST_MODEL (tracker), 0);
  g_assert_true (item == hynix);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (tracker), 1));

  /* After a remove the code can be tracked again. */
  g_assert_true (hoga_tracker_add (tracker, again));
  assert_change (changes, 3, 1, 0, 1);
}

static void
test_tracker_exit_state_mirroring (void)
{
  g_autoptr(GHashTable) counts = new_notify_counts ();
  g_autoptr(HogaTracker) tracker = hoga_tracker_new ();
  g_autoptr(HogaPosition) position = hoga_position_new ("005930", "삼성전자", 1);
  const HogaExitSettings settings = { .stop_loss_bp = 300, .trailing_start_bp = 300,
                                      .trailing_drop_bp = 200 };
  HogaExitState state = { .avg_cost = 10000, .entry_filled = TRUE, .peak = 10000 };
  HogaExitDecision decision;
  HogaPositionState position_state;
  int reason;
  HogaTick tick;

  hoga_tracker_add (tracker, position);
  watch_notify (position, counts);

  hoga_position_set_fill (position, 10000, 10);
  hoga_position_set_state (position, HOGA_POSITION_STATE_TRACKING);
  hoga_position_apply_exit_state (position, &state);
  g_assert_cmpint (hoga_position_get_avg_cost (position), ==, 10000);
  g_assert_cmpint (hoga_position_get_qty (position), ==, 10);
  g_assert_cmpint (hoga_position_get_peak (position), ==, 10000);
  g_assert_cmpuint (notify_count (counts, "peak"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "stop"), ==, 0);
  g_assert_cmpuint (notify_count (counts, "armed"), ==, 0);
  /* No price yet: no return to show. */
  g_assert_cmpint (hoga_position_get_return_bp (position), ==, 0);

  /* +5 %: the real exit rules arm the trailing stop; the position mirrors their state. */
  g_hash_table_remove_all (counts);
  tick = make_tick ("005930", 10500, 10, 1);
  hoga_tracker_apply_tick (tracker, &tick);
  g_assert_cmpint (hoga_position_get_return_bp (position), ==, 500);
  g_assert_cmpint (hoga_exit_rules_evaluate (&settings, &state, 10500, FALSE, 100000, &decision),
                   ==, HOGA_EXIT_REASON_NONE);
  g_assert_true (decision.state_changed);
  state = decision.next;
  hoga_position_apply_exit_state (position, &state);
  g_assert_cmpint (hoga_position_get_peak (position), ==, 10500);
  g_assert_cmpint (hoga_position_get_stop (position), ==, 10290);
  g_assert_true (hoga_position_get_armed (position));
  g_assert_cmpuint (notify_count (counts, "price"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "return-bp"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "peak"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "stop"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "armed"), ==, 1);
  g_assert_cmpuint (notify_total (counts), ==, 5);

  /* A lower tick leaves the state as it is: nothing to mirror, nothing notified. */
  g_hash_table_remove_all (counts);
  tick = make_tick ("005930", 10400, 20, 2);
  hoga_tracker_apply_tick (tracker, &tick);
  hoga_exit_rules_evaluate (&settings, &state, 10400, FALSE, 100000, &decision);
  g_assert_false (decision.state_changed);
  hoga_position_apply_exit_state (position, &decision.next);
  g_assert_cmpuint (notify_count (counts, "peak"), ==, 0);
  g_assert_cmpuint (notify_count (counts, "stop"), ==, 0);
  g_assert_cmpuint (notify_count (counts, "armed"), ==, 0);
  g_assert_cmpint (hoga_position_get_return_bp (position), ==, 400);

  /* The stop is hit: the engine sells and records why. */
  tick = make_tick ("005930", 10290, 30, 3);
  hoga_tracker_apply_tick (tracker, &tick);
  g_assert_cmpint (hoga_exit_rules_evaluate (&settings, &state, 10290, FALSE, 100000, &decision),
                   ==, HOGA_EXIT_REASON_TRAILING_STOP);
  hoga_position_set_state (position, HOGA_POSITION_STATE_SELLING);
  hoga_position_set_exit_reason (position, decision.reason);
  g_object_get (position, "state", &position_state, "exit-reason", &reason, NULL);
  g_assert_cmpint (position_state, ==, HOGA_POSITION_STATE_SELLING);
  g_assert_cmpint (reason, ==, HOGA_EXIT_REASON_TRAILING_STOP);
  g_assert_cmpuint (notify_count (counts, "state"), ==, 1);
  g_assert_cmpuint (notify_count (counts, "exit-reason"), ==, 1);
  g_assert_cmpstr (g_enum_get_value (g_type_class_peek (HOGA_TYPE_POSITION_STATE),
                                     HOGA_POSITION_STATE_SELLING)->value_nick, ==, "selling");
}

static void
test_tracker_no_allocation_per_tick (void)
{
  g_autoptr(HogaTracker) tracker = NULL;
  g_autoptr(HogaPosition) position = NULL;
  guint n_notifies = 0;
  gint before;
  gint after;

  if (!in_counting_subprocess ())
    return;

  tracker = hoga_tracker_new ();
  position = hoga_position_new ("005930", "삼성전자", 1);
  hoga_position_set_fill (position, 70000, 10);
  hoga_tracker_add (tracker, position);
  g_signal_connect (position, "notify", G_CALLBACK (count_any_notify_cb), &n_notifies);

  for (guint i = 0; i < WARM_UP_TICKS; i++)
    {
      HogaTick tick = make_tick ("005930", 70000 + (i % 40) * 100, i, i);
      HogaExitState state = { .avg_cost = 70000, .entry_filled = TRUE,
                              .peak = 70000 + i, .stop = 69000 + i, .armed = i % 2 };

      hoga_tracker_apply_tick (tracker, &tick);
      hoga_position_apply_exit_state (position, &state);
    }

  n_notifies = 0;
  before = allocations_so_far ();
  for (guint i = 0; i < COUNTED_TICKS; i++)
    {
      HogaTick tick = make_tick ("005930", 70000 + (i % 41) * 100, i, i);
      HogaExitState state = { .avg_cost = 70000, .entry_filled = TRUE,
                              .peak = 80000 + i, .stop = 79000 + i, .armed = i % 2 };

      hoga_tracker_apply_tick (tracker, &tick);
      hoga_position_apply_exit_state (position, &state);
    }
  after = allocations_so_far ();

  g_test_message ("%d allocations in %d ticks, %u notifications", after - before,
                  COUNTED_TICKS, n_notifies);
  g_assert_cmpint (after - before, ==, 0);
  g_assert_cmpuint (n_notifies, >=, 5 * COUNTED_TICKS);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/models/quote-book/add-and-remove", test_quote_book_add_and_remove);
  g_test_add_func ("/models/quote-book/tick-notifies-changes-only",
                   test_quote_tick_notifies_changes_only);
  g_test_add_func ("/models/quote-book/stock-info-is-not-fresh", test_quote_stock_info_is_not_fresh);
  g_test_add_func ("/models/quote-book/history-ring-wraps", test_quote_history_ring_wraps);
  g_test_add_func ("/models/quote-book/staleness-age", test_quote_staleness_age);
  g_test_add_func ("/models/quote-book/no-allocation-per-tick",
                   test_quote_book_no_allocation_per_tick);
  g_test_add_func ("/models/quote-book/freeze-notify-allocates", test_freeze_notify_allocates);
  g_test_add_func ("/models/condition/registry-keeps-objects", test_condition_registry_keeps_objects);
  g_test_add_func ("/models/condition/membership-idempotent", test_condition_membership_idempotent);
  g_test_add_func ("/models/condition/snapshot-diff", test_condition_snapshot_diff);
  g_test_add_func ("/models/condition/active-limit", test_condition_active_limit);
  g_test_add_func ("/models/account/totals-integer-krw", test_account_totals_integer_krw);
  g_test_add_func ("/models/account/replace-keeps-objects", test_account_replace_keeps_objects);
  g_test_add_func ("/models/account/balance-event-qty-zero-removes",
                   test_account_balance_event_qty_zero_removes);
  g_test_add_func ("/models/account/no-allocation-per-tick", test_account_no_allocation_per_tick);
  g_test_add_func ("/models/tracker/add-remove-lookup", test_tracker_add_remove_lookup);
  g_test_add_func ("/models/tracker/exit-state-mirroring", test_tracker_exit_state_mirroring);
  g_test_add_func ("/models/tracker/no-allocation-per-tick", test_tracker_no_allocation_per_tick);

  return g_test_run ();
}
