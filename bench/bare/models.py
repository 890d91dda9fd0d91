"""A day with its places (locked by a submission) and the rows a submission writes."""

from django.db import models


class Day(models.Model):
    date = models.DateField()
    label = models.CharField(max_length=100)
    capacity = models.PositiveIntegerField()
    taken = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.label


class Row(models.Model):
    day = models.ForeignKey(Day, on_delete=models.CASCADE)
    who = models.PositiveIntegerField()
    price_cents = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.who} {self.day_id}"
