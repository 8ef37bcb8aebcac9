import factory
from allauth.account.models import EmailAddress

from accounts.models import Membership, MembershipRole, Organisation, OrganisationType, User

PASSWORD = "Mat-khau-rat-manh-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"nguoidung{n}@example.vn")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    phone = factory.Sequence(lambda n: f"09{n:08d}")
    province = "dong-nai"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            if extracted is not False:
                EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        if create and extracted:
            from accounts.services import user_set_roles

            user_set_roles(user=obj, roles=set(extracted))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Công ty Công nghệ {n}")
    slug = factory.Sequence(lambda n: f"cong-ty-cong-nghe-{n}")
    type = OrganisationType.SME
    province = "dong-nai"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = MembershipRole.OWNER


def member_of(organisation: Organisation, role: str = MembershipRole.OWNER, **user_kwargs) -> User:
    user = UserFactory(**user_kwargs)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user
