"""Load: open the warehouse (engine), write a document in one transaction (writer), reviewers' queries (review)."""
