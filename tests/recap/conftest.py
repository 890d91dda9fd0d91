import pytest
from django.test import Client

from tests.world.staff import client_for
from tests.world.story import Story, build_story


@pytest.fixture
def story(db) -> Story:
    return build_story()


@pytest.fixture
def parent(story) -> Client:
    return client_for(story.parent)
