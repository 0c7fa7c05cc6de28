package dev.meridian.domain.common;

import java.util.Currency;

/**
 * An amount in minor units (cents) of an ISO 4217 currency. Integer arithmetic only: a price
 * never passes through floating point.
 */
public record Money(long minorUnits, String currency) implements Comparable<Money> {
  public static final long MAX_MINOR_UNITS = 1_000_000_000_00L;

  public Money {
    Validation v = Validation.start();
    v.range(minorUnits, 0, MAX_MINOR_UNITS, "amount");
    if (v.notNull(currency, "currency")) {
      v.require(isIsoCurrency(currency), "currency", "must be an ISO 4217 code such as EUR");
    }
    v.orThrow();
  }

  public static Money of(long minorUnits, String currency) {
    return new Money(minorUnits, currency);
  }

  public Money times(int quantity) {
    return new Money(Math.multiplyExact(minorUnits, quantity), currency);
  }

  public Money plus(Money other) {
    if (!currency.equals(other.currency)) {
      throw ValidationException.of("currency", "cannot add " + other.currency + " to " + currency);
    }
    return new Money(Math.addExact(minorUnits, other.minorUnits), currency);
  }

  private static boolean isIsoCurrency(String code) {
    if (!code.matches("[A-Z]{3}")) {
      return false;
    }
    try {
      Currency.getInstance(code);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Orders by currency then amount; only used to break ties deterministically. */
  @Override
  public int compareTo(Money o) {
    int c = currency.compareTo(o.currency);
    return c != 0 ? c : Long.compare(minorUnits, o.minorUnits);
  }

  @Override
  public String toString() {
    return minorUnits + " " + currency;
  }
}
