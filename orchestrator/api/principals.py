"""Who is calling: the principal an API key or a signed token stands for, and its role."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from policies.context import ActorFacts

Role = Literal["shopper", "merchandiser", "admin"]
ROLES: tuple[Role, ...] = ("shopper", "merchandiser", "admin")
STAFF: tuple[Role, ...] = ("merchandiser", "admin")


class Principal(BaseModel):
    """An authenticated caller."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    subject: str = Field(min_length=1, max_length=128, description="Who: a person or a service")
    role: Role
    shopper_id: str | None = Field(default=None, max_length=64, description="Shoppers only")
    category_scopes: tuple[str, ...] = Field(default=(), description="Staff: categories in reach")
    via: Literal["key", "token", "dev_key"] = "key"
    key_id: str | None = Field(default=None, description="The key's id, when a key was used")

    @property
    def id(self) -> str:
        """The actor id: the shopper for a signed-in shopper, else the subject."""
        return self.shopper_id if self.role == "shopper" and self.shopper_id else self.subject

    @property
    def ref(self) -> str:
        """`role:id`, the owner of threads and the key of rate limits and idempotency."""
        return f"{self.role}:{self.id}"

    @property
    def is_staff(self) -> bool:
        """Merchandisers and admins."""
        return self.role in STAFF

    def actor(self) -> ActorFacts:
        """The principal as the policy checker knows actors."""
        if self.role == "shopper":
            return ActorFacts(id=self.id, kind="shopper", on_behalf_of=self.shopper_id)
        return ActorFacts(
            id=self.id, kind="staff", role=self.role, category_scopes=self.category_scopes
        )
