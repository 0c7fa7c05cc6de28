package dev.meridian.adapter.http;

import dev.meridian.domain.common.Money;

/** A price or total in JSON: {@code {"amount": 450, "currency": "EUR"}}, amount in minor units (cents). */
public record MoneyView(long amount, String currency) {
  public static MoneyView of(Money money) {
    return new MoneyView(money.minorUnits(), money.currency());
  }
}
