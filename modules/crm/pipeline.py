"""Pipeline reads: the kanban columns, the funnel and the breakdowns by
source, region and rep with a per-rep forecast. Each takes an already scoped
and filtered opportunity queryset (``selectors.opportunity_list`` + filters),
so nobody sees figures for opportunities outside their data scope, and each
runs a fixed number of queries whatever the number of opportunities.

Amounts are summed per currency: an amount in USD is never added to one in CNY."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Opportunity
from .models.opportunities import CLOSED_STAGES, OPEN_STAGES, Stage

CARDS_PER_COLUMN = 30
CLOSED_SHOWN_DAYS = 30
HISTORY_DAYS = 365
ZERO = Decimal("0.00")

def _weighted() -> ExpressionWrapper:
    """amount × probability % (annotations next to it must not be named
    "amount": they would shadow the field)."""
    return ExpressionWrapper(F("amount") * F("probability") / Decimal(100),
                             output_field=DecimalField(max_digits=18, decimal_places=2))


@dataclass
class Money:
    """Sums per currency, in a stable order."""

    by_currency: dict[str, Decimal] = field(default_factory=dict)

    def add(self, currency: str, amount) -> None:
        self.by_currency[currency] = self.by_currency.get(currency, ZERO) + (amount or ZERO)

    @property
    def items(self) -> list[tuple[str, Decimal]]:
        return sorted((c, a.quantize(Decimal("0.01"))) for c, a in self.by_currency.items())


@dataclass
class StageColumn:
    stage: str
    label: str
    count: int = 0
    amount: Money = field(default_factory=Money)
    weighted: Money = field(default_factory=Money)
    cards: list[Opportunity] = field(default_factory=list)

    @property
    def hidden(self) -> int:
        return self.count - len(self.cards)


def board_columns(opportunities: QuerySet[Opportunity]) -> list[StageColumn]:
    """One column per stage: the open stages, then won and lost of the last
    ``CLOSED_SHOWN_DAYS``; totals for the whole column and its first cards
    (soonest expected close first). Two queries."""
    since = timezone.now() - timedelta(days=CLOSED_SHOWN_DAYS)
    shown = opportunities.filter(Q(stage__in=OPEN_STAGES) | Q(stage__in=CLOSED_STAGES, closed_at__gte=since))
    columns = {stage.value: StageColumn(stage.value, stage.label) for stage in Stage}
    totals = (shown.order_by().values("stage", "currency")
              .annotate(n=Count("pk"), total=Sum("amount"), weighted=Sum(_weighted())))
    for row in totals:
        column = columns[row["stage"]]
        column.count += row["n"]
        column.amount.add(row["currency"], row["total"])
        column.weighted.add(row["currency"], row["weighted"])
    ranked = shown.annotate(position=Window(
        RowNumber(), partition_by=[F("stage")],
        order_by=[F("expected_close").asc(nulls_last=True), F("created_at").desc()],
    )).filter(position__lte=CARDS_PER_COLUMN).order_by("stage", "position")
    for opportunity in ranked:
        columns[opportunity.stage].cards.append(opportunity)
    return list(columns.values())


@dataclass
class Breakdown:
    """One row of a breakdown (a stage, a source, a region or a rep)."""

    key: str
    label: str
    open_count: int = 0
    open_amount: Money = field(default_factory=Money)
    weighted: Money = field(default_factory=Money)
    won: int = 0
    lost: int = 0
    won_amount: Money = field(default_factory=Money)

    @property
    def win_rate(self) -> Decimal | None:
        """Share of the closed opportunities that were won (None without history)."""
        closed = self.won + self.lost
        return (Decimal(self.won) / closed * 100).quantize(Decimal("0.1")) if closed else None

    @property
    def forecast(self) -> Money:
        """Open amount × historical win rate; the stage-weighted amount without history."""
        if self.win_rate is None:
            return self.weighted
        forecast = Money()
        for currency, amount in self.open_amount.items:
            forecast.add(currency, amount * self.win_rate / 100)
        return forecast


def _breakdown(opportunities: QuerySet[Opportunity], key: str, label) -> list[Breakdown]:
    """Open amounts (now) and won/lost counts (closed in the last
    ``HISTORY_DAYS``) grouped by ``key``; ``label`` names a row (a field
    path read along, or a function of the key). One query."""
    since = timezone.now() - timedelta(days=HISTORY_DAYS)
    fields = (key, label) if isinstance(label, str) else (key,)
    rows = (opportunities.filter(Q(stage__in=OPEN_STAGES) | Q(closed_at__gte=since))
            .order_by().values(*fields, "currency")
            .annotate(
                open_count=Count("pk", filter=Q(stage__in=OPEN_STAGES)),
                open_amount=Coalesce(Sum("amount", filter=Q(stage__in=OPEN_STAGES)), ZERO),
                weighted=Coalesce(Sum(_weighted(), filter=Q(stage__in=OPEN_STAGES)), ZERO),
                won=Count("pk", filter=Q(stage=Stage.WON)),
                lost=Count("pk", filter=Q(stage=Stage.LOST)),
                won_amount=Coalesce(Sum("amount", filter=Q(stage=Stage.WON)), ZERO),
            ))
    grouped: dict = {}
    for row in rows:
        value = row[key] or ""
        item = grouped.get(value)
        if item is None:
            name = row[label] if isinstance(label, str) else label(row[key])
            item = grouped[value] = Breakdown(str(value), str(name or "—"))
        item.open_count += row["open_count"]
        item.won += row["won"]
        item.lost += row["lost"]
        item.open_amount.add(row["currency"], row["open_amount"])
        item.weighted.add(row["currency"], row["weighted"])
        item.won_amount.add(row["currency"], row["won_amount"])
    return sorted(grouped.values(), key=lambda b: (-b.open_count, b.label))


@dataclass
class PipelineSummary:
    funnel: list[StageColumn]
    by_source: list[Breakdown]
    by_region: list[Breakdown]
    by_rep: list[Breakdown]

    def chart_data(self) -> dict:
        """What the page's charts draw (counts, and amounts in the main currency)."""
        currencies = defaultdict(int)
        for column in self.funnel:
            for currency, _amount in column.amount.items:
                currencies[currency] += column.count
        main = max(currencies, key=currencies.get) if currencies else ""

        def amount(money: Money) -> float:
            return float(money.by_currency.get(main, ZERO))

        return {
            "currency": main,
            "labels": {"weighted": _("Weighted"), "forecast": _("Forecast"), "amount": _("Open amount")},
            "funnel": [{"name": str(c.label), "value": c.count, "amount": amount(c.amount)}
                       for c in self.funnel if c.stage in OPEN_STAGES],
            "by_source": [{"name": b.label, "open": b.open_count, "amount": amount(b.open_amount)}
                          for b in self.by_source],
            "by_region": [{"name": b.label, "open": b.open_count, "amount": amount(b.open_amount)}
                          for b in self.by_region],
            "by_rep": [{"name": b.label, "weighted": amount(b.weighted), "forecast": amount(b.forecast)}
                       for b in self.by_rep],
        }


def pipeline_summary(opportunities: QuerySet[Opportunity]) -> PipelineSummary:
    """The funnel (open stages, whole pipeline) and the three breakdowns. Four queries."""
    funnel = {stage.value: StageColumn(stage.value, stage.label) for stage in Stage}
    for row in (opportunities.order_by().values("stage", "currency")
                .annotate(n=Count("pk"), total=Sum("amount"), weighted=Sum(_weighted()))):
        column = funnel[row["stage"]]
        column.count += row["n"]
        column.amount.add(row["currency"], row["total"])
        column.weighted.add(row["currency"], row["weighted"])
    sources = dict(Opportunity.Source.choices)
    return PipelineSummary(
        funnel=list(funnel.values()),
        by_source=_breakdown(opportunities, "source", sources.get),
        by_region=_breakdown(opportunities, "customer__region", "customer__region"),
        by_rep=_breakdown(opportunities, "owner", "owner__full_name"),
    )
