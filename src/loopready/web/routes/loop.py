"""Placeholder while the page is written."""

from fastapi import APIRouter

router = APIRouter()
