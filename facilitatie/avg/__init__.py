"""AVG data lifecycle: the bewaartermijn, deleting a sessie or an account, one person's data."""
