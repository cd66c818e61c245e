/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-pricing"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "gauge-core-resources.h"
#include "gauge-file.h"
#include "gauge-pricing.h"

#define RESOURCE_PATH "/io/github/claudegauge/ClaudeGauge/pricing.json"
#define TIER_THRESHOLD 200000
#define PER_MILLION 1e-6

/* The bundled table is 4 KB; a user's own is as small. */
#define MAX_USER_FILE_SIZE (1000 * 1000)

typedef struct
{
  double input;
  double output;
  double cache_write_5m;
  double cache_write_1h;
  double cache_read;
} Rates;

typedef struct
{
  char     *id;
  Rates     base;
  Rates     tier;          /* above 200k tokens in one field of one entry */
  gboolean  has_tier;
  double    fast_multiplier;
  GStrv     aliases;
} Model;

struct _GaugePricing
{
  GObject     parent_instance;

  GHashTable *models;      /* id → Model */
  GHashTable *names;       /* id or alias → Model (borrowed) */
};

G_DEFINE_FINAL_TYPE (GaugePricing, gauge_pricing, G_TYPE_OBJECT)

G_DEFINE_QUARK (gauge-pricing-error-quark, gauge_pricing_error)

static void
model_free (gpointer data)
{
  Model *model = data;

  g_free (model->id);
  g_strfreev (model->aliases);
  g_free (model);
}

static gboolean
read_rate (JsonObject  *object,
           const char  *member,
           double      *rate,
           const char  *model_id,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_DOUBLE &&
       json_node_get_value_type (node) != G_TYPE_INT64) ||
      json_node_get_double (node) < 0)
    {
      g_set_error (error, GAUGE_PRICING_ERROR, GAUGE_PRICING_ERROR_INVALID,
                   _("“%s” of model “%s” is not a price (a number ≥ 0)"),
                   member, model_id);
      return FALSE;
    }

  *rate = json_node_get_double (node) * PER_MILLION;
  return TRUE;
}

/* Cache prices a model leaves out follow from its input price. */
static gboolean
read_rates (JsonObject  *object,
            Rates       *rates,
            const char  *model_id,
            GError     **error)
{
  rates->input = rates->output = NAN;
  rates->cache_write_5m = rates->cache_write_1h = rates->cache_read = NAN;

  if (!read_rate (object, "input", &rates->input, model_id, error) ||
      !read_rate (object, "output", &rates->output, model_id, error) ||
      !read_rate (object, "cache_write_5m", &rates->cache_write_5m, model_id, error) ||
      !read_rate (object, "cache_write_1h", &rates->cache_write_1h, model_id, error) ||
      !read_rate (object, "cache_read", &rates->cache_read, model_id, error))
    return FALSE;

  if (isnan (rates->input) || isnan (rates->output))
    {
      g_set_error (error, GAUGE_PRICING_ERROR, GAUGE_PRICING_ERROR_INVALID,
                   _("Model “%s” needs both “input” and “output” prices"), model_id);
      return FALSE;
    }

  if (isnan (rates->cache_write_5m))
    rates->cache_write_5m = rates->input * 1.25;
  if (isnan (rates->cache_write_1h))
    rates->cache_write_1h = rates->input * 2;
  if (isnan (rates->cache_read))
    rates->cache_read = rates->input * 0.1;

  return TRUE;
}

static Model *
parse_model (const char  *id,
             JsonNode    *node,
             GError     **error)
{
  g_autoptr(GPtrArray) aliases = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  Model *model;
  JsonObject *object;
  JsonNode *member;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, GAUGE_PRICING_ERROR, GAUGE_PRICING_ERROR_INVALID,
                   _("Model “%s” is not an object"), id);
      return NULL;
    }

  object = json_node_get_object (node);
  model = g_new0 (Model, 1);
  model->id = g_strdup (id);
  model->fast_multiplier = 1;

  if (!read_rates (object, &model->base, id, error))
    goto fail;

  member = json_object_get_member (object, "tier_200k");
  if (member != NULL)
    {
      if (!JSON_NODE_HOLDS_OBJECT (member))
        {
          g_set_error (error, GAUGE_PRICING_ERROR, GAUGE_PRICING_ERROR_INVALID,
                       _("“tier_200k” of model “%s” is not an object"), id);
          goto fail;
        }
      if (!read_rates (json_node_get_object (member), &model->tier, id, error))
        goto fail;
      model->has_tier = TRUE;
    }

  member = json_object_get_member (object, "fast_multiplier");
  if (member != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (member) ||
          (json_node_get_value_type (member) != G_TYPE_DOUBLE &&
           json_node_get_value_type (member) != G_TYPE_INT64) ||
          json_node_get_double (member) <= 0)
        {
          g_set_error (error, GAUGE_PRICING_ERROR, GAUGE_PRICING_ERROR_INVALID,
                       _("“fast_multiplier” of model “%s” is not a positive number"), id);
          goto fail;
        }
      model->fast_multiplier = json_node_get_double (member);
    }

  member = json_object_get_member (object, "aliases");
  if (member != NULL)
    {
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (member) ? json_node_get_array (member) : NULL;

      for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
        {
          const char *alias = json_array_get_string_element (array, i);

          if (alias == NULL || *alias == '\0')
            {
              array = NULL;
              break;
            }
          g_ptr_array_add (aliases, g_strdup (alias));
        }
      if (array == NULL)
        {
          g_set_error (error, GAUGE_PRICING_ERROR, GAUGE_PRICING_ERROR_INVALID,
                       _("“aliases” of model “%s” is not a list of names"), id);
          goto fail;
        }
    }
  model->aliases = (GStrv) g_ptr_array_steal (aliases, NULL);
  if (model->aliases == NULL)
    model->aliases = g_new0 (char *, 1);

  return model;

fail:
  model_free (model);
  return NULL;
}

static void
rebuild_names (GaugePricing *self)
{
  GHashTableIter iter;
  Model *model;

  g_hash_table_remove_all (self->names);
  g_hash_table_iter_init (&iter, self->models);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &model))
    {
      g_hash_table_insert (self->names, model->id, model);
      for (guint i = 0; model->aliases[i] != NULL; i++)
        if (!g_hash_table_contains (self->models, model->aliases[i]))
          g_hash_table_insert (self->names, model->aliases[i], model);
    }
}

/* All or nothing: a broken table leaves the prices as they were. */
static gboolean
load_table (GaugePricing *self,
            const char   *data,
            gssize        length,
            GError      **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) parsed = g_ptr_array_new_with_free_func (model_free);
  JsonObject *root;
  JsonNode *models;
  JsonObjectIter iter;
  const char *id;
  JsonNode *node;

  if (!json_parser_load_from_data (parser, data, length, error))
    return FALSE;

  root = JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
           ? json_node_get_object (json_parser_get_root (parser)) : NULL;
  models = root != NULL ? json_object_get_member (root, "models") : NULL;
  if (models == NULL || !JSON_NODE_HOLDS_OBJECT (models))
    {
      g_set_error_literal (error, GAUGE_PRICING_ERROR, GAUGE_PRICING_ERROR_INVALID,
                           _("Expected an object with a “models” object"));
      return FALSE;
    }

  json_object_iter_init (&iter, json_node_get_object (models));
  while (json_object_iter_next (&iter, &id, &node))
    {
      Model *model = parse_model (id, node, error);

      if (model == NULL)
        return FALSE;
      g_ptr_array_add (parsed, model);
    }

  for (guint i = 0; i < parsed->len; i++)
    {
      Model *model = g_ptr_array_index (parsed, i);

      g_hash_table_replace (self->models, model->id, model);
    }
  g_ptr_array_set_free_func (parsed, NULL);
  rebuild_names (self);

  return TRUE;
}

static void
gauge_pricing_finalize (GObject *object)
{
  GaugePricing *self = GAUGE_PRICING (object);

  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_pointer (&self->models, g_hash_table_unref);

  G_OBJECT_CLASS (gauge_pricing_parent_class)->finalize (object);
}

static void
gauge_pricing_class_init (GaugePricingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gauge_pricing_finalize;
}

static void
gauge_pricing_init (GaugePricing *self)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  self->models = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, model_free);
  self->names = g_hash_table_new (g_str_hash, g_str_equal);

  /* Looked up in the core library's own resource, which a static link would otherwise drop. */
  bytes = g_resource_lookup_data (gauge_core_get_resource (), RESOURCE_PATH,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL ||
      !load_table (self, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error))
    g_critical ("The bundled price table is broken: %s", error->message);
}

/**
 * gauge_pricing_new:
 *
 * The bundled price table only.
 */
GaugePricing *
gauge_pricing_new (void)
{
  return g_object_new (GAUGE_TYPE_PRICING, NULL);
}

/* The entries of the price file at @path on top of the table. */
static gboolean
load_overrides_file (GaugePricing  *self,
                     const char    *path,
                     GError       **error)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;

  /* Not there is not an error worth a word; anything else the user should hear of. */
  if (!gauge_file_read_bounded (path, MAX_USER_FILE_SIZE, &data, &length, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, GAUGE_PRICING_ERROR, GAUGE_PRICING_ERROR_INVALID,
                     _("Ignoring the price table: %s"), local_error->message);
      return FALSE;
    }

  if (!load_table (self, data, length, &local_error))
    {
      g_set_error (error, GAUGE_PRICING_ERROR, GAUGE_PRICING_ERROR_INVALID,
                   _("Ignoring the price table %s: %s"), path, local_error->message);
      return FALSE;
    }

  return TRUE;
}

char *
gauge_pricing_get_user_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "claude-gauge", "pricing.json", NULL);
}

/**
 * gauge_pricing_new_default:
 * @user_file_error: set when the user's pricing.json exists but is broken
 *
 * The bundled table with the entries of the user's file on top. Always
 * returns a table: a broken user file is reported and ignored.
 */
GaugePricing *
gauge_pricing_new_default (GError **user_file_error)
{
  g_autoptr(GaugePricing) self = gauge_pricing_new ();
  g_autofree char *path = gauge_pricing_get_user_path ();
  g_autoptr(GError) error = NULL;

  if (!load_overrides_file (self, path, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    g_propagate_error (user_file_error, g_steal_pointer (&error));

  return g_steal_pointer (&self);
}

/* "-9" or "-10" after a known name is another version, not a variant. */
static gboolean
is_version_suffix (const char *rest)
{
  return g_ascii_isdigit (rest[0]) &&
         (rest[1] == '\0' || rest[1] == '-' ||
          (g_ascii_isdigit (rest[1]) && (rest[2] == '\0' || rest[2] == '-')));
}

static gboolean
has_date_suffix (const char *name,
                 gsize       len)
{
  if (len < 10 || (name[len - 9] != '-' && name[len - 9] != '@'))
    return FALSE;
  for (gsize i = len - 8; i < len; i++)
    if (!g_ascii_isdigit (name[i]))
      return FALSE;
  return TRUE;
}

static Model *
lookup_model (GaugePricing *self,
              const char   *model)
{
  g_autofree char *name = NULL;
  Model *found;
  const char *slash;
  char *bracket;
  gsize len;
  gsize best_len = 0;
  GHashTableIter iter;
  const char *known;
  Model *candidate;

  if (model == NULL || *model == '\0')
    return NULL;

  found = g_hash_table_lookup (self->names, model);
  if (found != NULL)
    return found;

  /* "anthropic/claude-opus-4.5[1m]" → "claude-opus-4-5" */
  slash = strrchr (model, '/');
  name = g_strdup (slash != NULL ? slash + 1 : model);
  bracket = strchr (name, '[');
  if (bracket != NULL)
    *bracket = '\0';
  g_strdelimit (name, ".", '-');

  found = g_hash_table_lookup (self->names, name);
  if (found != NULL)
    return found;

  len = strlen (name);
  if (has_date_suffix (name, len))
    {
      name[len - 9] = '\0';
      found = g_hash_table_lookup (self->names, name);
      if (found != NULL)
        return found;
      len -= 9;
    }

  /* "claude-opus-4-5-thinking": the longest known name it extends. */
  g_hash_table_iter_init (&iter, self->names);
  while (g_hash_table_iter_next (&iter, (gpointer *) &known, (gpointer *) &candidate))
    {
      gsize known_len = strlen (known);

      if (known_len < len && known_len > best_len && name[known_len] == '-' &&
          strncmp (name, known, known_len) == 0 && !is_version_suffix (name + known_len + 1))
        {
          best_len = known_len;
          found = candidate;
        }
    }

  return found;
}

/**
 * gauge_pricing_match:
 *
 * Returns: (nullable): the id of the price entry @model is billed as, or
 *   %NULL for a model the table does not know.
 */
const char *
gauge_pricing_match (GaugePricing *self,
                     const char   *model)
{
  Model *found;

  g_return_val_if_fail (GAUGE_IS_PRICING (self), NULL);

  found = lookup_model (self, model);
  return found != NULL ? found->id : NULL;
}

static double
field_cost (gint64   tokens,
            double   base,
            double   tier,
            gboolean has_tier)
{
  if (tokens <= 0)
    return 0;
  if (!has_tier || tokens <= TIER_THRESHOLD)
    return tokens * base;
  return TIER_THRESHOLD * base + (tokens - TIER_THRESHOLD) * tier;
}

/**
 * gauge_pricing_calculate:
 * @cost: (out): USD
 *
 * The price-table cost of @entry. The >200k tier applies to each token field
 * of the entry separately, as ccusage does (never to a sum of entries below it).
 *
 * Returns: %FALSE when the model is unknown (the cost is unknown, not 0)
 */
gboolean
gauge_pricing_calculate (GaugePricing          *self,
                         const GaugeLocalEntry *entry,
                         double                *cost)
{
  Model *model;
  const Rates *b, *t;
  gboolean has_tier;
  double sum;

  g_return_val_if_fail (GAUGE_IS_PRICING (self), FALSE);
  g_return_val_if_fail (entry != NULL, FALSE);
  g_return_val_if_fail (cost != NULL, FALSE);

  model = lookup_model (self, entry->model);
  if (model == NULL)
    return FALSE;

  b = &model->base;
  t = &model->tier;
  has_tier = model->has_tier && !entry->below_tier;
  sum = field_cost (entry->input_tokens, b->input, t->input, has_tier) +
        field_cost (entry->output_tokens, b->output, t->output, has_tier) +
        field_cost (entry->cache_creation_5m_tokens, b->cache_write_5m, t->cache_write_5m,
                    has_tier) +
        field_cost (entry->cache_creation_1h_tokens, b->cache_write_1h, t->cache_write_1h,
                    has_tier) +
        field_cost (entry->cache_read_tokens, b->cache_read, t->cache_read, has_tier);

  if (entry->fast)
    sum *= model->fast_multiplier;

  *cost = sum;
  return TRUE;
}

/**
 * gauge_pricing_entry_cost:
 * @cost: (out): USD
 *
 * The cost of @entry in @mode. Display mode counts a line without costUSD
 * as 0, as ccusage does.
 *
 * Returns: %FALSE when the cost is unknown (a model the table lacks)
 */
gboolean
gauge_pricing_entry_cost (GaugePricing          *self,
                          const GaugeLocalEntry *entry,
                          GaugeCostMode          mode,
                          double                *cost)
{
  g_return_val_if_fail (GAUGE_IS_PRICING (self), FALSE);
  g_return_val_if_fail (entry != NULL, FALSE);
  g_return_val_if_fail (cost != NULL, FALSE);

  switch (mode)
    {
    case GAUGE_COST_MODE_DISPLAY:
      *cost = isnan (entry->cost_usd) ? 0 : entry->cost_usd;
      return TRUE;
    case GAUGE_COST_MODE_AUTO:
      if (!isnan (entry->cost_usd))
        {
          *cost = entry->cost_usd;
          return TRUE;
        }
      return gauge_pricing_calculate (self, entry, cost);
    case GAUGE_COST_MODE_CALCULATE:
    default:
      return gauge_pricing_calculate (self, entry, cost);
    }
}

static const char * const cost_mode_names[] = { "auto", "calculate", "display" };

gboolean
gauge_cost_mode_from_string (const char    *str,
                             GaugeCostMode *mode)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (cost_mode_names); i++)
    if (g_str_equal (str, cost_mode_names[i]))
      {
        *mode = (GaugeCostMode) i;
        return TRUE;
      }
  return FALSE;
}
