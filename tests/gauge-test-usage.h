/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "gauge-blocks.h"
#include "gauge-report.h"

G_BEGIN_DECLS

/*
 * Exact comparisons of what local usage shows, for the tests of incremental
 * computation: every count, every cost to the last bit, every model in order.
 */
void gauge_test_assert_strings_equal (GPtrArray                *a,
                                      GPtrArray                *b);
void gauge_test_assert_models_equal  (GPtrArray                *a,
                                      GPtrArray                *b);
void gauge_test_assert_block_equal   (const GaugeBlock         *a,
                                      const GaugeBlock         *b);
void gauge_test_assert_blocks_equal  (GPtrArray                *a,
                                      GPtrArray                *b);
void gauge_test_assert_row_equal     (const GaugeReportRow     *a,
                                      const GaugeReportRow     *b);
void gauge_test_assert_report_equal  (GaugeReport              *a,
                                      GaugeReport              *b);
void gauge_test_assert_figures_equal (const GaugePeriodFigures *a,
                                      const GaugePeriodFigures *b);

G_END_DECLS
